using System;
using System.Text.Json.Nodes;

namespace FinqLink.Sandbox.Pay;

public static class LinkStatus
{
    public const string Created = "created", Started = "started", Requested = "requested", IntentAccepted = "intent_accepted",
        AwaitingAuthz = "awaiting_authz", Received = "received", Submitted = "submitted", Completed = "completed",
        Failed = "failed", Revoked = "revoked", FundsReceived = "funds_received", FundsRejected = "funds_rejected";

    public static readonly string[] All =
    {
        Created, Started, Requested, IntentAccepted, AwaitingAuthz, Received, Submitted, Completed, Failed, Revoked, FundsReceived, FundsRejected,
    };

    /// <summary>The payer's part is over: paid (completed, and the funds statuses the creditor bank may add after it) or closed.</summary>
    public static bool IsFinal(string status) => status is Completed or Failed or Revoked or FundsReceived or FundsRejected;

    /// <summary>v1 predates funds_received and funds_rejected; it shows such links as completed.</summary>
    public static string AsV1(string status) => status is FundsReceived or FundsRejected ? Completed : status;
}

public static class FlowType
{
    public const string Link = "link", WrappedSca = "wrapped_sca", DirectSca = "direct_sca", RedirectSca = "redirect_sca";
    public static readonly string[] All = { Link, WrappedSca, DirectSca, RedirectSca };
    public static bool FixesProviderAtCreation(string type) => type != Link;
    /// <summary>Whether web_url is the bank's own SCA URL rather than the FinqLink WebUI.</summary>
    public static bool UsesBankUrl(string type) => type is DirectSca or RedirectSca;
}

/// <summary>A payment link as the sandbox stores it. Its status changes under a lock on the link itself.</summary>
public sealed class PaymentLink
{
    public required long Seq { get; init; }
    public required string LinkId { get; init; }
    public required string WebId { get; init; }
    public required string ClientId { get; init; }
    public required string AppName { get; init; }
    public required string FlowType { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public required JsonObject SingleTransfer { get; init; }
    public required PaymentMethod[] AllowedMethods { get; init; }
    public string? WebhookUrl { get; init; }
    public string? RedirectUrl { get; init; }
    public string? UxTemplate { get; init; }
    public string Status { get; set; } = LinkStatus.Created;
    public PaymentMethod? SelectedMethod { get; set; }

    public bool IsExpiredAt(DateTimeOffset now) => now >= ExpiresAt && !LinkStatus.IsFinal(Status);
}
