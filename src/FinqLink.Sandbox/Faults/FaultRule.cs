using System;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using FinqLink.Sandbox.Api;

namespace FinqLink.Sandbox.Faults;

/// <summary>
/// Faults for the API resource a rule's path names ("*" for all, or e.g. "links/create"). Rates are probabilities per
/// call; "before" faults happen before the operation takes effect, "after" ones after it. The command line
/// (<c>links/create:fail-before=0.1,retry-after=date</c>) and the control API (<c>{"path":"links/create","fail-before":0.1}</c>)
/// use the same keys.
/// </summary>
public sealed record FaultRule
{
    public const int MaxLatencyMs = 60_000, MaxRetryAfterSeconds = 86_400;
    public static readonly string[] Keys = { "latency", "fail-before", "fail-after", "rate-limit", "retry-after", "drop-before", "drop-after" };

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
        var rule = WithPath(colon < 0 ? "*" : text[..colon]);
        foreach (var part in (colon < 0 ? text : text[(colon + 1)..]).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = part.Split('=', 2);
            if (kv.Length != 2) throw new FormatException($"Fault '{part}' must be name=value.");
            rule = rule.With(kv[0], kv[1]);
        }
        return rule;
    }

    /// <summary>A rule from the control API: an object with "path" and the command line's keys, or the command line's text.</summary>
    public static FaultRule FromJson(JsonNode? node)
    {
        if (node is JsonValue text && text.TryGetValue(out string? line)) return Parse(line);
        if (node is not JsonObject json) throw new FormatException("A fault rule is an object such as {\"path\":\"links/create\",\"fail-before\":0.1} or a string such as \"links/create:fail-before=0.1\".");
        var rule = WithPath(json["path"] is null ? "*" : Scalar(json["path"], "path"));
        foreach (var (key, value) in json)
            if (key != "path") rule = rule.With(key, Scalar(value, key));
        return rule;
    }

    public JsonObject ToJson() => new()
    {
        ["path"] = Path, ["latency"] = LatencyMs, ["fail-before"] = FailBefore, ["fail-after"] = FailAfter, ["rate-limit"] = RateLimit,
        ["retry-after"] = RetryAfterAsDate ? "date" : RetryAfterSeconds, ["drop-before"] = DropBefore, ["drop-after"] = DropAfter,
    };

    private static FaultRule WithPath(string path) =>
        path == "*" || ApiEndpoints.Resources.Contains(path)
            ? new FaultRule { Path = path }
            : throw new FormatException($"Fault path '{path}' must be * or an API resource: {string.Join(", ", ApiEndpoints.Resources)}.");

    private FaultRule With(string key, string value) => key switch
    {
        "latency" => this with { LatencyMs = Whole(value, key, MaxLatencyMs) },
        "fail-before" => this with { FailBefore = Rate(value, key) },
        "fail-after" => this with { FailAfter = Rate(value, key) },
        "rate-limit" => this with { RateLimit = Rate(value, key) },
        "retry-after" => value == "date" ? this with { RetryAfterAsDate = true } : this with { RetryAfterSeconds = Whole(value, key, MaxRetryAfterSeconds) },
        "drop-before" => this with { DropBefore = Rate(value, key) },
        "drop-after" => this with { DropAfter = Rate(value, key) },
        _ => throw new FormatException($"Unknown fault '{key}'; the keys are {string.Join(", ", Keys)}."),
    };

    private static string Scalar(JsonNode? node, string key) => node switch
    {
        JsonValue v when v.TryGetValue(out string? s) => s,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
        _ => throw new FormatException($"Fault '{key}' must be a number or a string."),
    };

    private static int Whole(string v, string key, int max) =>
        int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= max
            ? n
            : throw new FormatException($"Fault '{key}' must be a whole number from 0 to {max}, not '{v}'.");

    private static double Rate(string v, string key) =>
        double.TryParse(v, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var rate) && rate is >= 0 and <= 1
            ? rate
            : throw new FormatException($"Fault '{key}' is a probability from 0 to 1, not '{v}'.");
}
