using System;
using FinqLink.Sandbox.Pay;

namespace FinqLink.Sandbox.Data;

public static class ConsentStatus
{
    public const string Created = "created", Started = "started", Requested = "requested", ScaUrlRetrieved = "sca_url_retrieved",
        AwaitingAuthz = "awaiting_authz", Authorized = "authorized", Active = "active", Expired = "expired", Revoked = "revoked",
        Failed = "failed", Suspended = "suspended";

    public static readonly string[] All =
        { Created, Started, Requested, ScaUrlRetrieved, AwaitingAuthz, Authorized, Active, Expired, Revoked, Failed, Suspended };

    public static bool IsInactive(string status) => status is Expired or Revoked or Failed or Suspended;
    public static bool IsPending(string status) => status is Created or Started or Requested or ScaUrlRetrieved or AwaitingAuthz or Authorized;

    /// <summary>awaiting_authz (the PSU opened the bank's SCA page) belongs to the link and wrapped_sca flows only.</summary>
    public static bool PassesAwaitingAuthz(string flowType) => flowType is Pay.FlowType.Link or Pay.FlowType.WrappedSca;
}

/// <summary>An AIS consent as the sandbox stores it, with the size of its generated data set. Its status changes under a lock on the consent itself.</summary>
public sealed class Consent
{
    public static readonly string[] FullScope = { "accounts", "balances", "transactions" };
    public static readonly string[] LimitedScope = { "accounts", "balances" };

    public required string ConsentId { get; init; }
    public required string WebId { get; init; }
    public required string ClientId { get; init; }
    public required string AppName { get; init; }
    public required string FlowType { get; init; }
    public required string[] Scope { get; init; }
    public required int ValidityDays { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public required AisMethod[] AllowedMethods { get; init; }
    public required ulong DataSeed { get; init; }
    public required int TransactionCount { get; init; }
    public string? WebhookUrl { get; init; }
    public string? RedirectUrl { get; init; }
    public string? UxTemplate { get; init; }

    public string Status { get; set; } = ConsentStatus.Created;
    public AisMethod? SelectedMethod { get; set; }
    public DateTimeOffset? AuthorizedUntil { get; set; }
    public DateTimeOffset? LastJobStartedAt { get; set; }
    /// <summary>Transactions booked after the consent's data anchor, added by each completed refresh job.</summary>
    public int NewerTransactions { get; set; }
    /// <summary>Cache of the transactions' running balances (see <see cref="RunningBalances"/>).</summary>
    public RunningBalances? RunningBalances { get; set; }
    /// <summary>The code a direct_sca app receives on its redirect URL once the PSU approved at the bank.</summary>
    public string? PendingRedirectCode { get; set; }
    /// <summary>The outcome the PSU scripted at approval (see <see cref="Scenarios.Scenario"/>); refresh jobs follow it too.</summary>
    public string? Scenario { get; set; }

    public bool HasTransactions => Array.IndexOf(Scope, "transactions") >= 0;
}
