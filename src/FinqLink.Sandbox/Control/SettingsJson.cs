using System;
using System.Linq;
using System.Text.Json.Nodes;
using FinqLink.Sandbox.Api;
using FinqLink.Sandbox.Pay;

namespace FinqLink.Sandbox.Control;

/// <summary>The control API's view of <see cref="SandboxSettings"/>; a change is checked whole before any of it applies.</summary>
public static class SettingsJson
{
    public const long MaxTokenLifetimeSeconds = 30 * 86_400, MaxCooldownSeconds = 30 * 86_400, MaxStepDelayMs = 600_000, MaxTransactions = 5_000_000;

    private static readonly string[] Names =
    {
        "token_lifetime_seconds", "job_cooldown_seconds", "bank_step_delay_ms", "job_step_delay_ms", "transactions_per_consent", "funds_confirmation_providers",
    };

    public static JsonObject Write(SandboxSettings s) => new()
    {
        ["token_lifetime_seconds"] = s.TokenLifetime.TotalSeconds, ["job_cooldown_seconds"] = s.JobCooldown.TotalSeconds,
        ["bank_step_delay_ms"] = s.BankStepDelay.TotalMilliseconds, ["job_step_delay_ms"] = s.JobStepDelay.TotalMilliseconds,
        ["transactions_per_consent"] = s.TransactionsPerConsent,
        ["funds_confirmation_providers"] = new JsonArray(s.FundsConfirmationProviders.Select(p => (JsonNode?)p).ToArray()),
    };

    public static JsonObject Apply(SandboxSettings s, JsonObject body)
    {
        ControlInput.Only(body, Names);
        var lifetime = ControlInput.Number(body, "token_lifetime_seconds", SandboxOptions.MinTokenLifetime.TotalSeconds, MaxTokenLifetimeSeconds);
        var cooldown = ControlInput.Integer(body, "job_cooldown_seconds", 0, MaxCooldownSeconds);
        var bankDelay = ControlInput.Integer(body, "bank_step_delay_ms", 0, MaxStepDelayMs);
        var jobDelay = ControlInput.Integer(body, "job_step_delay_ms", 0, MaxStepDelayMs);
        var transactions = ControlInput.Integer(body, "transactions_per_consent", 0, MaxTransactions);
        var funds = Fields.StringList(body, "funds_confirmation_providers", "funds_confirmation_providers");
        var unknown = funds?.FirstOrDefault(p => ProviderCatalog.Find(p) is null);
        if (unknown is not null) throw ApiException.Validation("funds_confirmation_providers", $"'{unknown}' is not a sandbox provider");

        if (lifetime is { } l) s.TokenLifetime = SandboxOptions.ToLifetime(l);
        if (cooldown is { } c) s.JobCooldown = TimeSpan.FromSeconds(c);
        if (bankDelay is { } b) s.BankStepDelay = TimeSpan.FromMilliseconds(b);
        if (jobDelay is { } j) s.JobStepDelay = TimeSpan.FromMilliseconds(j);
        if (transactions is { } t) s.TransactionsPerConsent = (int)t;
        if (funds is not null) s.FundsConfirmationProviders = funds.Distinct().ToArray();
        return Write(s);
    }
}
