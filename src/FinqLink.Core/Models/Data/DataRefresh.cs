using System;
using System.Text.Json.Serialization;

namespace FinqLink.Models.Data
{
    /// <summary>A data refresh job (ais/jobs/create or ais/jobs/get): the bank's data fetched again for a consent.</summary>
    public sealed class DataRefresh : FinqObject
    {
        [JsonPropertyName("job_id")] public string JobId { get; set; } = "";
        [JsonPropertyName("consent_id")] public string ConsentId { get; set; } = "";
        [JsonPropertyName("status")] public string? Status { get; set; }
        [JsonPropertyName("created_at")] public DateTimeOffset? CreatedAt { get; set; }
        [JsonPropertyName("webhook_url")] public string? WebhookUrl { get; set; }
        [JsonPropertyName("api_client_app")] public string? ApiClientApp { get; set; }
        [JsonPropertyName("service_provider")] public ServiceProviderInfo? ServiceProvider { get; set; }
        [JsonPropertyName("ais_method")] public AisMethodInfo? AisMethod { get; set; }

        public bool IsFinal => RefreshStatuses.IsFinal(Status);
        public bool Succeeded => Status == RefreshStatuses.Completed || Status == RefreshStatuses.PartiallyCompleted;

        public override string ToString() => $"{JobId} ({Status})";
    }

    public static class RefreshStatuses
    {
        public const string Started = "job_started", Completed = "job_completed", PartiallyCompleted = "job_partially_completed", Failed = "job_failed";

        public static readonly string[] All =
            { Started, "accounts_ready", "balances_ready", "transactions_fetching", PartiallyCompleted, Completed, Failed };

        public static bool IsFinal(string? status) => status == Completed || status == PartiallyCompleted || status == Failed;
    }
}
