using System;
using System.Text.Json.Serialization;

namespace FinqLink.Bulk
{
    public static class JournalState
    {
        /// <summary>Written before the request is sent.</summary>
        public const string Pending = "pending";
        public const string Created = "created";
        /// <summary>Certainly not created (a 4xx, or reconciled as absent): a re-run sends it again.</summary>
        public const string NotCreated = "not_created";
        /// <summary>The server may have created it; the next reconciliation decides.</summary>
        public const string Unknown = "unknown";
        /// <summary>Links exist that may be this row's, but which one cannot be told: a person must look.</summary>
        public const string Ambiguous = "ambiguous";
    }

    /// <summary>One line of a bulk run's journal (JSON Lines). The last line of a key wins.</summary>
    public sealed class JournalEntry
    {
        [JsonPropertyName("key")] public string Key { get; set; } = "";
        [JsonPropertyName("state")] public string State { get; set; } = JournalState.Pending;
        [JsonPropertyName("at")] public DateTimeOffset At { get; set; }
        [JsonPropertyName("sent_from")] public DateTimeOffset? SentFrom { get; set; }
        [JsonPropertyName("sent_until")] public DateTimeOffset? SentUntil { get; set; }
        /// <summary>The expires_in sent: with the link's expires_at it tells this row's link from its neighbours'.</summary>
        [JsonPropertyName("expires_in")] public long? ExpiresInSeconds { get; set; }
        [JsonPropertyName("link_id")] public string? LinkId { get; set; }
        [JsonPropertyName("web_url")] public string? WebUrl { get; set; }
        [JsonPropertyName("status")] public string? Status { get; set; }
        [JsonPropertyName("expires_at")] public DateTimeOffset? ExpiresAt { get; set; }
        [JsonPropertyName("error")] public string? Error { get; set; }
        [JsonPropertyName("candidates")] public string[]? Candidates { get; set; }
    }
}
