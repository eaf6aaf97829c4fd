using System;
using System.Text.Json;
using System.Text.Json.Serialization;
using FinqLink.Json;

namespace FinqLink.Webhooks
{
    /// <summary>A verified webhook. The subclasses carry the ids that pipe on to Get-FinqLink, Get-FinqConsent or Get-FinqDataRefresh.</summary>
    public class WebhookEvent : Models.FinqObject
    {
        [JsonPropertyName("type")] public string? Type { get; set; }
        [JsonPropertyName("status")] public string? Status { get; set; }

        /// <summary>The key that signed it.</summary>
        [JsonIgnore] public string? KeyId { get; set; }
        [JsonIgnore] public DateTimeOffset ReceivedAt { get; set; }

        /// <summary>
        /// True when a webhook with the same body was taken before within Receive-FinqWebhook's duplicate window: a
        /// redelivery or a replay. FinqLink's webhooks carry no event id, so the signed body is what identifies one.
        /// </summary>
        [JsonIgnore] public bool IsDuplicate { get; set; }

        /// <summary>Reads a (verified) body into the event type its <c>type</c> names; unknown types stay generic.</summary>
        public static WebhookEvent Parse(byte[] body)
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object) throw new FormatException("Body: a webhook is a JSON object.");
                var type = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                switch (type)
                {
                    case "link_status_update": return root.Deserialize<LinkStatusUpdate>(FinqJson.Options)!;
                    case "consent_status_update": return root.Deserialize<ConsentStatusUpdate>(FinqJson.Options)!;
                    case "job_status_update": return root.Deserialize<DataRefreshStatusUpdate>(FinqJson.Options)!;
                    default: return root.Deserialize<WebhookEvent>(FinqJson.Options)!;
                }
            }
            catch (JsonException e) { throw new FormatException("Body: not valid JSON (" + e.Message + ")", e); }
        }

        public override string ToString() => $"{Type}: {Status}";
    }

    public sealed class LinkStatusUpdate : WebhookEvent
    {
        [JsonPropertyName("link_id")] public string? LinkId { get; set; }
        [JsonPropertyName("web_id")] public string? WebId { get; set; }
    }

    public sealed class ConsentStatusUpdate : WebhookEvent
    {
        [JsonPropertyName("consent_id")] public string? ConsentId { get; set; }
        [JsonPropertyName("web_id")] public string? WebId { get; set; }
    }

    public sealed class DataRefreshStatusUpdate : WebhookEvent
    {
        [JsonPropertyName("consent_id")] public string? ConsentId { get; set; }
        [JsonPropertyName("job_id")] public string? JobId { get; set; }
    }
}
