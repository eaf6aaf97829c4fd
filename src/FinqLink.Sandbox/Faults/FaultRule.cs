using System;
using System.Globalization;
using System.Text.Json.Nodes;

namespace FinqLink.Sandbox.Faults;

/// <summary>
/// Faults for the API resources a rule's path names ("*" for all, or e.g. "links/create"). Rates are
/// probabilities per call; "before" faults happen before the operation takes effect, "after" ones after it.
/// </summary>
public sealed record FaultRule
{
    public string Path { get; init; } = "*";
    public int LatencyMs { get; init; }
    public double FailBefore { get; init; }
    public double FailAfter { get; init; }
    public double RateLimit { get; init; }
    public bool RetryAfterAsDate { get; init; }
    public int RetryAfterSeconds { get; init; } = 1;
    public double DropBefore { get; init; }
    public double DropAfter { get; init; }

    public bool Applies(string resource) => Path == "*" || string.Equals(Path, resource, StringComparison.Ordinal);

    /// <summary>Parses <c>path:latency=50,fail-before=0.05,fail-after=0.05,rate-limit=0.02,retry-after=date|3,drop-before=0.01,drop-after=0.01</c>.</summary>
    public static FaultRule Parse(string text)
    {
        var colon = text.IndexOf(':');
        var rule = new FaultRule { Path = colon < 0 ? "*" : text[..colon] };
        foreach (var part in (colon < 0 ? text : text[(colon + 1)..]).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = part.Split('=', 2);
            if (kv.Length != 2) throw new FormatException($"Fault '{part}' must be name=value.");
            var v = kv[1];
            rule = kv[0] switch
            {
                "latency" => rule with { LatencyMs = int.Parse(v, CultureInfo.InvariantCulture) },
                "fail-before" => rule with { FailBefore = Rate(v) },
                "fail-after" => rule with { FailAfter = Rate(v) },
                "rate-limit" => rule with { RateLimit = Rate(v) },
                "retry-after" => v == "date" ? rule with { RetryAfterAsDate = true } : rule with { RetryAfterSeconds = int.Parse(v, CultureInfo.InvariantCulture) },
                "drop-before" => rule with { DropBefore = Rate(v) },
                "drop-after" => rule with { DropAfter = Rate(v) },
                _ => throw new FormatException($"Unknown fault '{kv[0]}'."),
            };
        }
        return rule;
    }

    public static FaultRule FromJson(JsonObject json) => new()
    {
        Path = (string?)json["path"] ?? "*",
        LatencyMs = (int?)json["latency_ms"] ?? 0,
        FailBefore = (double?)json["fail_before"] ?? 0,
        FailAfter = (double?)json["fail_after"] ?? 0,
        RateLimit = (double?)json["rate_limit"] ?? 0,
        RetryAfterAsDate = (string?)json["retry_after"] == "date",
        RetryAfterSeconds = (int?)json["retry_after_seconds"] ?? 1,
        DropBefore = (double?)json["drop_before"] ?? 0,
        DropAfter = (double?)json["drop_after"] ?? 0,
    };

    public JsonObject ToJson() => new()
    {
        ["path"] = Path, ["latency_ms"] = LatencyMs, ["fail_before"] = FailBefore, ["fail_after"] = FailAfter, ["rate_limit"] = RateLimit,
        ["retry_after"] = RetryAfterAsDate ? "date" : "seconds", ["retry_after_seconds"] = RetryAfterSeconds,
        ["drop_before"] = DropBefore, ["drop_after"] = DropAfter,
    };

    private static double Rate(string v)
    {
        var rate = double.Parse(v, CultureInfo.InvariantCulture);
        if (rate is < 0 or > 1) throw new FormatException($"Fault rate {v} must be between 0 and 1.");
        return rate;
    }
}
