using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Http;

namespace FinqLink.Webhooks
{
    /// <summary>
    /// A webhook that passed verification, not yet answered: the caller hands it on and then calls <see cref="Acknowledge"/>
    /// (204), or <see cref="Decline"/> (503) when it could not, so FinqLink delivers it again. Acknowledging only after
    /// the hand-off means a webhook is never answered as received and then lost.
    /// </summary>
    public sealed class ReceivedWebhook : IDisposable
    {
        private HttpListenerResponse? _response;
        private readonly Action _onAcknowledged;

        internal ReceivedWebhook(WebhookEvent webhook, string? forwarded, HttpListenerResponse response, Action onAcknowledged)
        {
            Event = webhook;
            Forwarded = forwarded;
            _response = response;
            _onAcknowledged = onAcknowledged;
        }

        public WebhookEvent Event { get; }
        /// <summary>"POST http://… -> 200", the failure, or null when not forwarded.</summary>
        public string? Forwarded { get; }

        public void Acknowledge()
        {
            if (Answer(204)) _onAcknowledged();
        }

        /// <summary>Not taken: FinqLink retries it later. Disposing an unanswered webhook declines it.</summary>
        public void Decline() => Answer(503);

        public void Dispose() => Decline();

        private bool Answer(int status)
        {
            var response = Interlocked.Exchange(ref _response, null);
            if (response == null) return false;
            try
            {
                response.StatusCode = status;
                response.Close();
                return true;
            }
            catch (Exception e) when (e is HttpListenerException || e is ObjectDisposedException || e is InvalidOperationException)
            {
                return false; // the sender gave up waiting; it delivers again
            }
        }
    }

    /// <summary>
    /// Receives FinqLink's webhooks on a local address (the platform's HttpListener) and verifies each one as
    /// <see cref="WebhookVerifier"/> does: a valid one is answered 204 and handed to the caller (and relayed, with its
    /// signature headers, to <c>forwardTo</c> if given), to be answered 204 once taken; anything else is answered 401
    /// (or 400/405/413) and only counted. Requests are handled one at a time, in the order they arrive.
    /// </summary>
    public sealed class WebhookListener : IDisposable
    {
        public const int MaxBodyBytes = 1024 * 1024;

        private readonly HttpListener _listener = new HttpListener();
        private readonly Func<string, CancellationToken, Task<WebhookKey?>> _findKey;
        private readonly Uri? _forwardTo;
        private readonly HttpClient? _forwarder;
        private readonly IRequestLog? _log;

        public WebhookListener(string prefix, Func<string, CancellationToken, Task<WebhookKey?>> findKey, Uri? forwardTo, IRequestLog? log)
        {
            _listener.Prefixes.Add(prefix);
            _findKey = findKey;
            _forwardTo = forwardTo;
            _forwarder = forwardTo == null ? null : new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            _log = log;
            Prefix = prefix;
        }

        public string Prefix { get; }
        public int Accepted { get; private set; }
        public int Refused { get; private set; }

        /// <summary>Starts listening; an address in use or not allowed is an error that says so.</summary>
        public void Start()
        {
            try { _listener.Start(); }
            catch (HttpListenerException e)
            {
                throw new IOException($"Cannot listen on {Prefix}: {e.Message}. Choose another port, or on Windows a prefix this account may use (http://localhost:<port>/).", e);
            }
        }

        /// <summary>Answers requests until a valid webhook arrives, and returns it unanswered.</summary>
        public async Task<ReceivedWebhook> NextAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var context = await WaitForRequestAsync(cancellationToken).ConfigureAwait(false);
                var received = await HandleAsync(context, cancellationToken).ConfigureAwait(false);
                if (received != null) return received;
            }
        }

        private async Task<HttpListenerContext> WaitForRequestAsync(CancellationToken cancellationToken)
        {
            var next = _listener.GetContextAsync();
            using (cancellationToken.Register(() => _listener.Stop()))
            {
                try { return await next.ConfigureAwait(false); }
                catch (Exception e) when (cancellationToken.IsCancellationRequested && (e is HttpListenerException || e is ObjectDisposedException || e is InvalidOperationException))
                {
                    throw new OperationCanceledException(cancellationToken);
                }
            }
        }

        private async Task<ReceivedWebhook?> HandleAsync(HttpListenerContext context, CancellationToken cancellationToken)
        {
            var request = context.Request;
            var response = context.Response;
            var received = await VerifyAsync(request, response, cancellationToken).ConfigureAwait(false);
            if (received == null) response.Close();
            return received;
        }

        private async Task<ReceivedWebhook?> VerifyAsync(HttpListenerRequest request, HttpListenerResponse response, CancellationToken cancellationToken)
        {
            if (request.HttpMethod != "POST") return Refuse(response, 405, $"{request.HttpMethod} {request.Url?.AbsolutePath}: webhooks are POSTed");
            var body = await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
            if (body == null) return Refuse(response, 413, $"POST {request.Url?.AbsolutePath}: the body is over {MaxBodyBytes} bytes");

            var signature = request.Headers[WebhookHeaders.Signature];
            var kid = request.Headers[WebhookHeaders.KeyId];
            var verdict = await WebhookVerifier.VerifyAsync(body, signature, kid, _findKey, cancellationToken).ConfigureAwait(false);
            if (!verdict.IsValid) return Refuse(response, 401, $"POST {request.Url?.AbsolutePath} from {request.RemoteEndPoint}: refused, {verdict.Failure}");

            WebhookEvent webhook;
            try { webhook = WebhookEvent.Parse(body); }
            catch (FormatException e) { return Refuse(response, 400, $"POST {request.Url?.AbsolutePath}: signed, but {e.Message}"); }
            webhook.KeyId = verdict.KeyId;
            webhook.ReceivedAt = DateTimeOffset.UtcNow;
            _log?.Verbose($"POST {request.Url?.AbsolutePath}: {webhook} (kid {verdict.KeyId}) verified");
            var forwarded = await ForwardAsync(body, signature!, kid!, cancellationToken).ConfigureAwait(false);
            return new ReceivedWebhook(webhook, forwarded, response, () => Accepted++);
        }

        private ReceivedWebhook? Refuse(HttpListenerResponse response, int status, string why)
        {
            response.StatusCode = status;
            Refused++;
            _log?.Verbose(why + $" ({status})");
            return null;
        }

        private static async Task<byte[]?> ReadBodyAsync(HttpListenerRequest request, CancellationToken cancellationToken)
        {
            if (request.ContentLength64 > MaxBodyBytes) return null;
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await request.InputStream.ReadAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxBodyBytes) return null;
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }

        /// <summary>Relays the webhook as it came (raw body, signature headers), so the next hop can verify it too.</summary>
        private async Task<string?> ForwardAsync(byte[] body, string signature, string kid, CancellationToken cancellationToken)
        {
            if (_forwarder == null || _forwardTo == null) return null;
            using var relay = new HttpRequestMessage(HttpMethod.Post, _forwardTo) { Content = new ByteArrayContent(body) };
            relay.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            relay.Headers.Add(WebhookHeaders.Signature, signature);
            relay.Headers.Add(WebhookHeaders.KeyId, kid);
            try
            {
                using var answer = await _forwarder.SendAsync(relay, cancellationToken).ConfigureAwait(false);
                return $"POST {_forwardTo} -> {(int)answer.StatusCode}";
            }
            catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                return $"POST {_forwardTo} failed: {e.GetBaseException().Message}";
            }
        }

        public void Dispose()
        {
            try { _listener.Close(); } catch (ObjectDisposedException) { }
            _forwarder?.Dispose();
        }
    }
}
