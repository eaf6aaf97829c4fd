using System;
using System.Text.Json.Serialization;

namespace FinqLink.Models
{
    /// <summary>A payment link (links/create, links/get or a links/list item).</summary>
    public sealed class PaymentLink : FinqObject
    {
        [JsonPropertyName("link_id")] public string LinkId { get; set; } = "";
        [JsonPropertyName("web_id")] public string? WebId { get; set; }
        /// <summary>The URL to hand to the payer; null for direct_sca links once created.</summary>
        [JsonPropertyName("web_url")] public string? WebUrl { get; set; }
        [JsonPropertyName("status")] public string? Status { get; set; }
        [JsonPropertyName("created_at")] public DateTimeOffset? CreatedAt { get; set; }
        [JsonPropertyName("expires_at")] public DateTimeOffset? ExpiresAt { get; set; }
        [JsonPropertyName("is_expired")] public bool? IsExpired { get; set; }
        [JsonPropertyName("api_client_app")] public string? ApiClientApp { get; set; }
        [JsonPropertyName("payment_method")] public PaymentMethodInfo? PaymentMethod { get; set; }
        [JsonPropertyName("service_provider")] public ServiceProviderInfo? ServiceProvider { get; set; }
        /// <summary>The item's paging cursor: the client's business, not a column for people (Export-Csv leaves it out).</summary>
        [JsonPropertyName("keyset"), JsonInclude] internal string? Keyset { get; set; }

        // Known to the client, not sent back by the API: what the link was created for.
        [JsonIgnore] public string? Reference { get; set; }
        [JsonIgnore] public decimal? Amount { get; set; }
        [JsonIgnore] public string? Currency { get; set; }
        [JsonIgnore] public string? RemittanceInformation { get; set; }
        /// <summary>True when a bulk run's journal already held this link, so it was not created again.</summary>
        [JsonIgnore] public bool FromJournal { get; set; }
        /// <summary>Links an earlier version of this row created, replaced by this one (New-FinqLink -Supersede).</summary>
        [JsonIgnore] public string[]? SupersededLinkIds { get; set; }

        public override string ToString() => $"{LinkId} ({Status})";
    }

    /// <summary>The link statuses FinqLink documents, in the order a payment goes through them.</summary>
    public static class LinkStatuses
    {
        public const string Created = "created", Started = "started", Completed = "completed", Failed = "failed", Revoked = "revoked",
            FundsReceived = "funds_received", FundsRejected = "funds_rejected";

        public static readonly string[] All =
        {
            Created, Started, "requested", "intent_accepted", "awaiting_authz", "received", "submitted", Completed, Failed, Revoked, FundsReceived, FundsRejected,
        };

        /// <summary>What can follow "completed": the creditor bank's confirmation (libra_ro today, other providers later).</summary>
        public static readonly string[] AfterCompletion = { FundsReceived, FundsRejected };

        /// <summary>Statuses a link never leaves.</summary>
        public static bool IsTerminal(string? status) => status == Failed || status == Revoked || status == FundsReceived || status == FundsRejected;

        /// <summary>Final for most purposes: terminal, or completed (which only the creditor bank's confirmation can follow).</summary>
        public static bool IsFinal(string? status) => status == Completed || IsTerminal(status);
    }
}
