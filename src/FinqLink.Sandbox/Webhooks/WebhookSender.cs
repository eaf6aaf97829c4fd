using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Headers;
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
    public int Attempts { get; set; }
    public int? LastStatus { get; set; }
    public bool Delivered { get; set; }
}

/// <summary>Signs and POSTs webhooks with the current key; retries non-2xx answers with doubling delays.</summary>
public sealed class WebhookSender : IDisposable
{
    private const int MaxAttempts = 5;
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

    /// <summary>Signs <paramref name="payload"/> and delivers it in the background; null when there is no URL to send to.</summary>
    public WebhookDelivery? Send(string? url, JsonObject payload)
    {
        if (string.IsNullOrEmpty(url)) return null;
        var body = Encoding.UTF8.GetBytes(payload.ToJsonString());
        var (jws, kid) = _keys.Sign(body);
        var delivery = new WebhookDelivery
        {
            Id = Interlocked.Increment(ref _nextId), Url = url, Type = (string?)payload["type"] ?? "", Body = Encoding.UTF8.GetString(body), Kid = kid,
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
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.Add("x-signature", jws);
                request.Headers.Add("x-signature-kid", delivery.Kid);
                using var response = await _http.SendAsync(request, _stopping.Token).ConfigureAwait(false);
                delivery.LastStatus = (int)response.StatusCode;
                if (response.IsSuccessStatusCode) { delivery.Delivered = true; return; }
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException) { delivery.LastStatus = null; }
            try { await Task.Delay(delay, _time, _stopping.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            delay += delay;
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _http.Dispose();
    }
}
