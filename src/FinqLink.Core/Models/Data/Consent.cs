using System;
using System.Linq;
using System.Text.Json.Serialization;

namespace FinqLink.Models.Data
{
    /// <summary>An AIS consent (ais/consents/create or ais/consents/get).</summary>
    public sealed class Consent : FinqObject
    {
        [JsonPropertyName("consent_id")] public string ConsentId { get; set; } = "";
        [JsonPropertyName("web_id")] public string? WebId { get; set; }
        /// <summary>Where the account holder authorises; null on get for direct_sca consents.</summary>
        [JsonPropertyName("web_url")] public string? WebUrl { get; set; }
        /// <summary>Null on create (the API does not return it); "created" is implied.</summary>
        [JsonPropertyName("status")] public string? Status { get; set; }
        [JsonPropertyName("created_at")] public DateTimeOffset? CreatedAt { get; set; }
        /// <summary>When the authorisation link closes (from expires_in); it does not end an active consent.</summary>
        [JsonPropertyName("expires_at")] public DateTimeOffset? ExpiresAt { get; set; }
        [JsonPropertyName("consent_validity_days")] public int? ConsentValidityDays { get; set; }
        /// <summary>End of data access: authorisation time plus the validity days.</summary>
        [JsonPropertyName("authorized_until")] public DateTimeOffset? AuthorizedUntil { get; set; }
        [JsonPropertyName("scope")] public string[]? Scope { get; set; }
        [JsonPropertyName("api_client_app")] public string? ApiClientApp { get; set; }
        [JsonPropertyName("ais_method")] public AisMethodInfo? AisMethod { get; set; }
        [JsonPropertyName("service_provider")] public ServiceProviderInfo? ServiceProvider { get; set; }
        [JsonPropertyName("accounts")] public Account[]? Accounts { get; set; }

        public bool IsActive => Status == ConsentStatuses.Active;
        public bool IsTerminal => ConsentStatuses.IsTerminal(Status);

        public override string ToString() => $"{ConsentId} ({Status ?? "created"})";
    }

    /// <summary>The consent statuses FinqLink documents, in the order a consent goes through them.</summary>
    public static class ConsentStatuses
    {
        public const string Created = "created", Started = "started", Active = "active";

        /// <summary>The states a consent never leaves. "deactivated" is in one version of the docs (validity over).</summary>
        public static readonly string[] Terminal = { "expired", "revoked", "failed", "suspended", "deactivated" };

        public static readonly string[] All =
            new[] { Created, Started, "requested", "sca_url_retrieved", "awaiting_authz", "authorized", Active }.Concat(Terminal).ToArray();

        public static bool IsTerminal(string? status) => Array.IndexOf(Terminal, status) >= 0;
    }
}
