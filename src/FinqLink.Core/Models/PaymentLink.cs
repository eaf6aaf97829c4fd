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
        [JsonPropertyName("keyset")] public string? Keyset { get; set; }

        // Known to the client, not sent back by the API: what the link was created for.
        [JsonIgnore] public string? Reference { get; set; }
        [JsonIgnore] public decimal? Amount { get; set; }
        [JsonIgnore] public string? Currency { get; set; }
        [JsonIgnore] public string? RemittanceInformation { get; set; }
        /// <summary>True when a bulk run's journal already held this link, so it was not created again.</summary>
        [JsonIgnore] public bool FromJournal { get; set; }

        public bool IsFinal => LinkStatuses.IsFinal(Status);

        public override string ToString() => $"{LinkId} ({Status})";
    }

    public static class LinkStatuses
    {
        public static bool IsFinal(string? status) =>
            status == "completed" || status == "failed" || status == "revoked" || status == "funds_received" || status == "funds_rejected";
    }
}
