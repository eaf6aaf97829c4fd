using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace FinqLink.Bulk
{
    public static class JournalState
    {
        /// <summary>Written, and on disk, before the request is sent.</summary>
        public const string Pending = "pending";
        public const string Created = "created";
        /// <summary>Certainly not created (a 4xx, a request that never left, or reconciled as absent): a re-run sends it again.</summary>
        public const string NotCreated = "not_created";
        /// <summary>The server may have created it; reconciliation decides.</summary>
        public const string Unknown = "unknown";
        /// <summary>Links exist that may be this row's, but which one cannot be told: a person must look.</summary>
        public const string Ambiguous = "ambiguous";
        /// <summary>Refused before anything was sent (a value that cannot be read): a re-run with the row fixed sends it.</summary>
        public const string Refused = "refused";
        /// <summary>The line naming the API client whose links the journal records (<see cref="JournalOwner"/>).</summary>
        public const string Owner = "owner";
        /// <summary>A webhook Receive-FinqWebhook took (key "webhook:" + the body's digest): remembered across restarts.</summary>
        public const string Webhook = "webhook";

        /// <summary>Rows that may be sent (again): nothing was created for them.</summary>
        public static bool MaySend(string state) => state == NotCreated || state == Refused;
    }

    /// <summary>One line of a bulk run's journal (JSON Lines). The last line of a key wins; fields it lacks come from earlier lines.</summary>
    public sealed class JournalEntry
    {
        [JsonPropertyName("key")] public string Key { get; set; } = "";
        [JsonPropertyName("state")] public string State { get; set; } = JournalState.Pending;
        /// <summary>This machine's clock when the line was written.</summary>
        [JsonPropertyName("at")] public DateTimeOffset At { get; set; }
        /// <summary>What the row asks for (see <see cref="RowFingerprint"/>).</summary>
        [JsonPropertyName("fingerprint")] public Dictionary<string, string>? Fingerprint { get; set; }
        /// <summary>The expires_in sent: the base expiry moved by the run's lane and the row's slot.</summary>
        [JsonPropertyName("expires_in")] public long? ExpiresInSeconds { get; set; }
        [JsonPropertyName("base_expires_in")] public long? BaseExpiresInSeconds { get; set; }
        [JsonPropertyName("lane")] public int? Lane { get; set; }
        /// <summary>When the server may have received the request and acted on it, by the server's clock.</summary>
        [JsonPropertyName("window_from")] public DateTimeOffset? WindowFrom { get; set; }
        [JsonPropertyName("window_to")] public DateTimeOffset? WindowTo { get; set; }
        [JsonPropertyName("attempt")] public int? Attempt { get; set; }
        [JsonPropertyName("link_id")] public string? LinkId { get; set; }
        [JsonPropertyName("web_url")] public string? WebUrl { get; set; }
        [JsonPropertyName("status")] public string? Status { get; set; }
        [JsonPropertyName("expires_at")] public DateTimeOffset? ExpiresAt { get; set; }
        [JsonPropertyName("created_at")] public DateTimeOffset? CreatedAt { get; set; }
        /// <summary>Links an earlier version of the row created, replaced with -Supersede.</summary>
        [JsonPropertyName("superseded")] public string[]? Superseded { get; set; }
        [JsonPropertyName("error")] public string? Error { get; set; }
        [JsonPropertyName("candidates")] public string[]? Candidates { get; set; }
        /// <summary>The row's reference as it was written (the key holds it trimmed and upper-case).</summary>
        [JsonPropertyName("reference")] public string? Reference { get; set; }
        [JsonPropertyName("remittance_information")] public string? RemittanceInformation { get; set; }
        /// <summary>The run that first wrote the row (its start, by this machine's clock) and the row's place in that run's input (1 is the first).</summary>
        [JsonPropertyName("run")] public DateTimeOffset? Run { get; set; }
        [JsonPropertyName("row")] public long? Row { get; set; }
        /// <summary>When the link got its <see cref="Status"/>: a webhook's arrival, or the first listing that showed it (it changed at or before then).</summary>
        [JsonPropertyName("status_at")] public DateTimeOffset? StatusAt { get; set; }
        /// <summary>On the owner line only (<see cref="JournalOwner"/>): the API's address and the client id.</summary>
        [JsonPropertyName("api")] public string? Api { get; set; }
        [JsonPropertyName("client_id")] public string? ClientId { get; set; }

        internal JournalEntry Inherit(JournalEntry? earlier)
        {
            if (earlier == null) return this;
            Fingerprint ??= earlier.Fingerprint;
            ExpiresInSeconds ??= earlier.ExpiresInSeconds;
            BaseExpiresInSeconds ??= earlier.BaseExpiresInSeconds;
            Lane ??= earlier.Lane;
            WindowFrom ??= earlier.WindowFrom;
            WindowTo ??= earlier.WindowTo;
            Attempt ??= earlier.Attempt;
            Superseded ??= earlier.Superseded;
            Reference ??= earlier.Reference;
            RemittanceInformation ??= earlier.RemittanceInformation;
            Run ??= earlier.Run;
            Row ??= earlier.Row;
            // A superseding link's entry has a link id of its own: the earlier link's creation time is not its.
            if (LinkId == null || LinkId == earlier.LinkId) CreatedAt ??= earlier.CreatedAt;
            return this;
        }

        internal JournalEntry Copy() => (JournalEntry)MemberwiseClone();
    }
}
