using System;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using FinqLink.Sandbox.Api;
using FinqLink.Sandbox.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FinqLink.Sandbox.Control;

/// <summary>
/// The webhook delivery log as a tail (<c>GET /sandbox/webhooks/log</c>) and a receiver that takes any webhook
/// (<c>POST /sandbox/webhooks/sink</c>), for scenarios played without a receiver of one's own.
/// </summary>
public static class WebhookLogEndpoints
{
    /// <summary>The longest a reader may wait for the next attempt in one request.</summary>
    public const int MaxWaitMs = 30_000;

    public static void MapWebhookLog(this RouteGroupBuilder group, WebhookSender webhooks)
    {
        // ?after=N: attempts after sequence number N; ?id=: of one link, consent or job; ?wait_ms=: wait that long for one.
        // "last" is where the next request resumes; "pending" counts the matching deliveries not yet attempted once.
        group.MapGet("/webhooks/log", async (HttpContext http) =>
        {
            var query = http.Request.Query;
            var after = Number(query["after"], "after", 0, long.MaxValue);
            var wait = Number(query["wait_ms"], "wait_ms", 0, MaxWaitMs);
            var id = (string?)query["id"];
            Func<WebhookDelivery, bool> match = id is null ? _ => true : d => d.IsAbout(id);
            if (wait > 0) await webhooks.AttemptLog.WaitAsync(after, match, TimeSpan.FromMilliseconds(wait), http.RequestAborted);
            // In this order, a delivery not counted as pending has its first attempt at or before "last", so among the entries.
            var pending = webhooks.Log.Count(d => match(d) && d.LoggedAttempts == 0);
            var last = webhooks.AttemptLog.Last;
            return Results.Json(new JsonObject
            {
                ["entries"] = new JsonArray(webhooks.AttemptLog.Between(after, last, match).Select(a => (JsonNode?)Entry(a)).ToArray()),
                ["last"] = last,
                ["pending"] = pending,
            });
        });
        group.MapPost("/webhooks/sink", () => Results.NoContent());
    }

    private static JsonObject Entry(WebhookAttempt a) => new()
    {
        ["seq"] = a.Seq, ["delivery_id"] = a.Delivery.Id, ["attempt"] = a.Attempt, ["at"] = Time(a.At),
        ["duration_ms"] = Math.Round(a.Duration.TotalMilliseconds, 1), ["http_status"] = a.HttpStatus, ["error"] = a.Error,
        ["type"] = a.Delivery.Type, ["link_id"] = a.Delivery.LinkId, ["consent_id"] = a.Delivery.ConsentId, ["job_id"] = a.Delivery.JobId,
        ["from_status"] = a.Delivery.FromStatus, ["status"] = a.Delivery.Status, ["url"] = a.Delivery.Url, ["kid"] = a.Delivery.Kid,
        ["body"] = a.Delivery.Body,
    };

    private static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static long Number(string? text, string name, long min, long max)
    {
        if (text is null) return 0;
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw ApiException.Validation(name, $"must be a whole number between {min} and {max}");
        return value;
    }
}
