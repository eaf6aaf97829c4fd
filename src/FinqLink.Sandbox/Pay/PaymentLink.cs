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

    public static bool IsFinal(string status) => status is Completed or Failed or Revoked or FundsReceived or FundsRejected;
}

public static class FlowType
{
    public const string Link = "link", WrappedSca = "wrapped_sca", DirectSca = "direct_sca", RedirectSca = "redirect_sca";
    public static readonly string[] All = { Link, WrappedSca, DirectSca, RedirectSca };
    public static bool FixesProviderAtCreation(string type) => type != Link;
}

/// <summary>A payment link as the sandbox stores it.</summary>
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
