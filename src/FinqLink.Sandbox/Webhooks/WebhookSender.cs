using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace FinqLink.Sandbox.Webhooks;

/// <summary>One webhook delivery as the control API reports it.</summary>
public sealed class WebhookDelivery
{
    public required long Id { get; init; }
    public required string Url { get; init; }
    public required string Type { get; init; }
    public required string Body { get; init; }
    public required string Kid { get; init; }
    /// <summary>When it was sent, by the sandbox clock.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>The object's status before the change the webhook reports (for a triggered webhook, its status then).</summary>
    public string? FromStatus { get; init; }
    /// <summary>The payload's status, link_id, consent_id and job_id.</summary>
    public string? Status { get; init; }
    public string? LinkId { get; init; }
    public string? ConsentId { get; init; }
    public string? JobId { get; init; }
    public int Attempts { get; set; }
    public int? LastStatus { get; set; }
    public bool Delivered { get; set; }
    /// <summary>Attempts that ended and are in the <see cref="WebhookLog"/>; 0 while the first is under way.</summary>
    public int LoggedAttempts { get; set; }
    /// <summary>Whether it is about <paramref name="id"/>: its link, consent or job (a job's webhooks are also its consent's).</summary>
    public bool IsAbout(string id) => id == LinkId || id == ConsentId || id == JobId;
}

/// <summary>Signs and POSTs webhooks with the current key; retries non-2xx answers with doubling delays; logs every attempt.</summary>
public sealed class WebhookSender : IDisposable
{
    // Eight attempts spread over about a minute (0.5 s doubling to 32 s). FinqLink's own schedule is not published;
    // five (7.5 s) was shorter than a receiver's pipeline under load takes to drain a burst of a few hundred webhooks,
    // each answered 503 while 100 already wait (Receive-FinqWebhook), so a genuine one could run out of attempts.
    private const int MaxAttempts = 8;
    private readonly SigningKeys _keys;
    private readonly TimeProvider _time;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly ConcurrentQueue<WebhookDelivery> _log = new();
    private readonly CancellationTokenSource _stopping = new();
    private long _nextId;

    public WebhookSender(SigningKeys keys, TimeProvider time)
    {
        _keys = keys;
        _time = time;
    }

    /// <summary>First retry delay; doubles on every further attempt.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public IReadOnlyList<WebhookDelivery> Log => _log.ToArray();

    /// <summary>Every attempt of every delivery, in the order they ended.</summary>
    public WebhookLog AttemptLog { get; } = new();

    /// <summary>
    /// Signs <paramref name="payload"/> and delivers it in the background; null when there is no URL to send to.
    /// <paramref name="fromStatus"/> is the status the object had before (the log's transition; not sent).
    /// </summary>
    public WebhookDelivery? Send(string? url, JsonObject payload, string? fromStatus = null)
    {
        if (string.IsNullOrEmpty(url)) return null;
        var body = Encoding.UTF8.GetBytes(payload.ToJsonString());
        var (jws, kid) = _keys.Sign(body);
        var delivery = new WebhookDelivery
        {
            Id = Interlocked.Increment(ref _nextId), Url = url, Type = (string?)payload["type"] ?? "", Body = Encoding.UTF8.GetString(body), Kid = kid,
            CreatedAt = _time.GetUtcNow(), FromStatus = fromStatus, Status = (string?)payload["status"], LinkId = (string?)payload["link_id"],
            ConsentId = (string?)payload["consent_id"], JobId = (string?)payload["job_id"],
        };
        _log.Enqueue(delivery);
        _ = Task.Run(() => DeliverAsync(delivery, body, jws));
        return delivery;
    }

    private async Task DeliverAsync(WebhookDelivery delivery, byte[] body, string jws)
    {
        var delay = RetryDelay;
        while (delivery.Attempts < MaxAttempts && !_stopping.IsCancellationRequested)
        {
            delivery.Attempts++;
            var at = _time.GetUtcNow();
            var started = _time.GetTimestamp();
            string? error = null;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.Add("x-signature", jws);
                request.Headers.Add("x-signature-kid", delivery.Kid);
                using var response = await _http.SendAsync(request, _stopping.Token).ConfigureAwait(false);
                delivery.LastStatus = (int)response.StatusCode;
                delivery.Delivered = response.IsSuccessStatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                if (_stopping.IsCancellationRequested) return;
                delivery.LastStatus = null;
                error = ErrorOf(e);
            }
            AttemptLog.Add(delivery, delivery.Attempts, at, _time.GetElapsedTime(started), delivery.LastStatus, error);
            if (delivery.Delivered) return;
            try { await Task.Delay(delay, _time, _stopping.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            delay += delay;
        }
    }

    /// <summary>What the log says when no HTTP answer came: the receiver refused the connection, took too long, or something else.</summary>
    private static string ErrorOf(Exception e) => e switch
    {
        OperationCanceledException => "timeout",
        HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused } } => "refused",
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => "no host",
        _ => "error",
    };

    public void Dispose()
    {
        _stopping.Cancel();
        _http.Dispose();
    }
}
