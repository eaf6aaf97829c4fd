using System;
using System.Text.Json.Serialization;

namespace FinqLink.LocalSandbox
{
    /// <summary>
    /// One attempt at delivering a webhook, as the local sandbox logged it: what it said (type, id, status and the status
    /// before), where it went, what the receiver answered, how long that took, and the key that signed it.
    /// </summary>
    public sealed class SandboxWebhookDelivery
    {
        /// <summary>Its place in the sandbox's log: a tail resumes after the last one it read.</summary>
        [JsonPropertyName("seq")] public long Sequence { get; set; }
        /// <summary>When the attempt started, by the sandbox clock.</summary>
        [JsonPropertyName("at")] public DateTimeOffset Time { get; set; }
        [JsonPropertyName("type")] public string EventType { get; set; } = "";
        [JsonPropertyName("link_id")] public string? LinkId { get; set; }
        [JsonPropertyName("consent_id")] public string? ConsentId { get; set; }
        [JsonPropertyName("job_id")] public string? JobId { get; set; }
        /// <summary>The status before the change (not sent in the webhook); for a triggered webhook, the object's status then.</summary>
        [JsonPropertyName("from_status")] public string? FromStatus { get; set; }
        /// <summary>The status the webhook announced.</summary>
        [JsonPropertyName("status")] public string? Status { get; set; }
        [JsonPropertyName("url")] public string Url { get; set; } = "";
        /// <summary>The receiver's HTTP status; null when no answer came (see <see cref="Error"/>).</summary>
        [JsonPropertyName("http_status")] public int? HttpStatus { get; set; }
        /// <summary>Why no answer came: refused, timeout, no host or error.</summary>
        [JsonPropertyName("error")] public string? Error { get; set; }
        /// <summary>1 for the first attempt; the sandbox retries a delivery that was not answered 2xx, up to 5 attempts.</summary>
        [JsonPropertyName("attempt")] public int Attempt { get; set; }
        [JsonPropertyName("duration_ms")] public double DurationMs { get; set; }
        /// <summary>The kid of the key that signed it (its x-signature-kid header).</summary>
        [JsonPropertyName("kid")] public string? KeyId { get; set; }
        [JsonPropertyName("delivery_id")] public long DeliveryId { get; set; }
        /// <summary>The raw JSON body, exactly as signed and sent.</summary>
        [JsonPropertyName("body")] public string Body { get; set; } = "";

        public TimeSpan Duration => TimeSpan.FromMilliseconds(DurationMs);
        public bool Delivered => HttpStatus >= 200 && HttpStatus < 300;
        public bool Signed => !string.IsNullOrEmpty(KeyId);

        /// <summary>What the webhook is about: "link", "consent" or "job" and its id (a job's webhook also names its consent).</summary>
        public string Subject =>
            JobId != null ? "job " + JobId : LinkId != null ? "link " + LinkId : ConsentId != null ? "consent " + ConsentId : EventType;

        /// <summary>The receiver's answer in a word: its HTTP status, or why there was none.</summary>
        public string Answer => HttpStatus?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Error ?? "";

        public override string ToString() => $"{Subject}: {FromStatus} -> {Status} ({Answer}, attempt {Attempt})";
    }

    /// <summary>One read of the sandbox's delivery log: the entries, where the next read resumes, and deliveries not yet attempted.</summary>
    public sealed class SandboxWebhookLogPage
    {
        [JsonPropertyName("entries")] public SandboxWebhookDelivery[] Entries { get; set; } = Array.Empty<SandboxWebhookDelivery>();
        [JsonPropertyName("last")] public long Last { get; set; }
        [JsonPropertyName("pending")] public int Pending { get; set; }
    }
}
