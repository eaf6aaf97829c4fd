using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Http;

namespace FinqLink.Webhooks
{
    /// <summary>
    /// Receives FinqLink's webhooks and verifies each one as <see cref="WebhookVerifier"/> does: a valid one is handed to
    /// the caller (and relayed, with its signature headers, to <c>forwardTo</c> if given), to be answered 204 once taken;
    /// anything else is answered 401 (or 400/403/404/405/411/413/431) and only counted. Connections are served at once,
    /// side by side; verified webhooks reach the caller one at a time, in the order they were verified.
    /// </summary>
    /// <remarks>
    /// Hand-written on a socket because no listener available to this netstandard2.0 module bounds what a client can
    /// hold on every platform: HttpListener's managed implementation (Linux, macOS) ignores its TimeoutManager, keeps a
    /// connection that never finishes its headers for 90 s and has no connection cap, and Kestrel is not part of
    /// Windows PowerShell 5.1 nor of every pwsh. It reads only what a webhook needs (HTTP/1.x, one request per
    /// connection, a Content-Length body) and refuses the rest: see <see cref="HttpRequestHead"/>.
    /// </remarks>
    public sealed class WebhookListener : IDisposable
    {
        private readonly WebhookListenerOptions _options;
        private readonly Func<string, CancellationToken, Task<WebhookKey?>> _findKey;
        private readonly Uri? _forwardTo;
        private readonly HttpClient? _forwarder;
        private readonly IRequestLog? _log;
        private readonly TcpListener _listener;
        private readonly object _gate = new object();
        private readonly LinkedList<WebhookConnection> _open = new LinkedList<WebhookConnection>();
        private readonly ConcurrentQueue<ReceivedWebhook> _verified = new ConcurrentQueue<ReceivedWebhook>();
        private readonly SemaphoreSlim _verifiedCount = new SemaphoreSlim(0);
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private int _accepted, _refused, _timedOut, _evicted;

        public WebhookListener(WebhookListenerOptions options, Func<string, CancellationToken, Task<WebhookKey?>> findKey, Uri? forwardTo, IRequestLog? log)
        {
            _options = options;
            _findKey = findKey;
            _forwardTo = forwardTo;
            _forwarder = forwardTo == null ? null : new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            _log = log;
            _listener = new TcpListener(options.EndPoint);
        }

        /// <summary>The address listened on, e.g. http://127.0.0.1:8080/ (the real port once started on port 0).</summary>
        public string Url => $"http://{(Started ? _listener.LocalEndpoint : _options.EndPoint)}{_options.Path}";
        public int Accepted => Volatile.Read(ref _accepted);
        public int Refused => Volatile.Read(ref _refused);
        /// <summary>Connections closed because a header or body deadline passed, or evicted at the cap.</summary>
        public int TimedOut => Volatile.Read(ref _timedOut);
        public int Evicted => Volatile.Read(ref _evicted);
        public int OpenConnections { get { lock (_gate) return _open.Count; } }
        private bool Started { get; set; }

        /// <summary>Starts listening; an address in use or not allowed is an error that says so.</summary>
        public void Start()
        {
            try { _listener.Start(512); }
            catch (SocketException e)
            {
                throw new IOException($"Cannot listen on {Url}: {e.Message}. Choose another port.", e);
            }
            Started = true;
            _ = AcceptLoopAsync();
        }

        /// <summary>Waits for the next verified webhook and returns it unanswered, with IsDuplicate set.</summary>
        public async Task<ReceivedWebhook> NextAsync(CancellationToken cancellationToken)
        {
            await _verifiedCount.WaitAsync(cancellationToken).ConfigureAwait(false);
            _verified.TryDequeue(out var received);
            received!.Event.IsDuplicate = _options.Duplicates.WasTaken(received.BodyDigest);
            return received;
        }

        private async Task AcceptLoopAsync()
        {
            while (!_stopping.IsCancellationRequested)
            {
                Socket socket;
                try { socket = await _listener.AcceptSocketAsync().ConfigureAwait(false); }
                catch (Exception e) when (e is SocketException || e is ObjectDisposedException || e is InvalidOperationException)
                {
                    if (_stopping.IsCancellationRequested) return;
                    await Task.Delay(20).ConfigureAwait(false); // out of sockets or a reset before accept: back off, never spin
                    continue;
                }
                WebhookConnection connection;
                try { connection = new WebhookConnection(socket, Forget); }
                catch (Exception e) when (e is SocketException || e is ObjectDisposedException) { socket.Dispose(); continue; }
                _ = Task.Run(() => ServeAsync(connection));
            }
        }

        private async Task ServeAsync(WebhookConnection connection)
        {
            var handedOn = false;
            try
            {
                var head = await WithDeadline(connection, _options.HeaderTimeout, "the headers", () => Track(connection),
                    ct => HttpRequestHead.ReadAsync(connection.Stream, _options.MaxHeaderBytes, ct)).ConfigureAwait(false);
                connection.HeadersRead = true;
                var received = await ReadAndVerifyAsync(connection, head).ConfigureAwait(false);
                if (received == null) return;
                _verified.Enqueue(received);
                _verifiedCount.Release();
                handedOn = true;
            }
            catch (HttpRefusalException refusal)
            {
                Interlocked.Increment(ref _refused);
                _log?.Verbose($"Request from {connection.Peer}: refused, {refusal.Message} ({refusal.Status}).");
                connection.Answer(refusal.Status);
            }
            catch (Exception e) when (e is IOException || e is SocketException || e is ObjectDisposedException || e is OperationCanceledException)
            {
                connection.Abort(); // closed by the client, by a deadline, or at the cap: already said
            }
            finally
            {
                if (!handedOn) connection.Abort(); // whatever else went wrong, the place is given back (a no-op once answered)
            }
        }

        private async Task<ReceivedWebhook?> ReadAndVerifyAsync(WebhookConnection connection, HttpRequestHead head)
        {
            var path = head.Target.Split('?')[0];
            if (!(path + "/").StartsWith(_options.Path, StringComparison.Ordinal)) throw new HttpRefusalException(404, $"{head.Method} {path} is outside {_options.Path}");
            var client = ClientAddress.Resolve(connection.Peer, head["X-Forwarded-For"], _options.TrustedProxies)
                ?? throw new HttpRefusalException(400, $"X-Forwarded-For '{head["X-Forwarded-For"]}' from trusted proxy {connection.Peer} is not a list of addresses");
            if (!_options.AllowedSources.IsEmpty && !_options.AllowedSources.Contains(client))
                throw new HttpRefusalException(403, $"{client} is not an allowed source ({_options.AllowedSources})");
            if (head.Method != "POST") throw new HttpRefusalException(405, $"{head.Method} {path}: webhooks are POSTed");
            var length = head.ContentLength();
            if (length > _options.MaxBodyBytes) throw new HttpRefusalException(413, $"POST {path}: the body is over {_options.MaxBodyBytes} bytes");
            if (head.BodyStart.Length > length) throw new HttpRefusalException(400, "more bytes than Content-Length (one request per connection)");
            var body = await WithDeadline(connection, _options.BodyTimeout, "the body", () => true, ct => ReadBodyAsync(connection.Stream, head.BodyStart, (int)length, ct)).ConfigureAwait(false);

            var signature = head[WebhookHeaders.Signature];
            var kid = head[WebhookHeaders.KeyId];
            var verdict = await WebhookVerifier.VerifyAsync(body, signature, kid, _findKey, _stopping.Token).ConfigureAwait(false);
            if (!verdict.IsValid) throw new HttpRefusalException(401, $"POST {path} from {client}: {verdict.Failure}");
            WebhookEvent webhook;
            try { webhook = WebhookEvent.Parse(body); }
            catch (FormatException e) { throw new HttpRefusalException(400, $"POST {path}: signed, but {e.Message}"); }
            webhook.KeyId = verdict.KeyId;
            webhook.ReceivedAt = _options.Time.GetUtcNow();
            _log?.Verbose($"POST {path} from {client}: {webhook} (kid {verdict.KeyId}) verified");
            var forwarded = await ForwardAsync(body, signature!, kid!, _stopping.Token).ConfigureAwait(false);
            var digest = DuplicateWindow.Digest(body);
            return new ReceivedWebhook(webhook, digest, forwarded, connection.Answer, () =>
            {
                Interlocked.Increment(ref _accepted);
                _options.Duplicates.RememberTaken(digest);
            });
        }

        /// <summary>
        /// Runs one read under a deadline on the listener's clock; when it passes, the connection is closed. The deadline
        /// is armed before <paramref name="admit"/> counts the connection, so a counted connection always has one.
        /// </summary>
        private async Task<T> WithDeadline<T>(WebhookConnection connection, TimeSpan timeout, string what, Func<bool> admit, Func<CancellationToken, Task<T>> read)
        {
            using var deadline = _options.Time.CreateCancellationTokenSource(timeout);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, _stopping.Token);
            using var onDeadline = deadline.Token.Register(() =>
            {
                if (connection.IsClosed) return;
                Interlocked.Increment(ref _timedOut);
                _log?.Verbose($"Request from {connection.Peer}: closed, {what} took longer than {timeout.TotalSeconds:0.#} s.");
                connection.Abort();
            });
            using var onStop = _stopping.Token.Register(connection.Abort);
            if (!admit()) throw new IOException("closed at the connection cap");
            return await read(linked.Token).ConfigureAwait(false);
        }

        private static async Task<byte[]> ReadBodyAsync(Stream stream, byte[] start, int length, CancellationToken cancellationToken)
        {
            var body = new byte[length];
            Buffer.BlockCopy(start, 0, body, 0, start.Length);
            for (var filled = start.Length; filled < length;)
            {
                var read = await stream.ReadAsync(body, filled, length - filled, cancellationToken).ConfigureAwait(false);
                if (read == 0) throw new EndOfStreamException("the client closed the connection inside the body");
                filled += read;
            }
            return body;
        }

        /// <summary>
        /// Counts a new connection. At the cap the oldest connection still sending its headers is closed to make room
        /// (a genuine sender sends them at once, so that is the slowest loris); when every place holds a complete request,
        /// the newcomer is the one closed. False when the newcomer was not taken.
        /// </summary>
        private bool Track(WebhookConnection connection)
        {
            WebhookConnection? evict = null;
            lock (_gate)
            {
                if (_open.Count >= _options.MaxConnections)
                {
                    for (var node = _open.First; node != null && evict == null; node = node.Next)
                        if (!node.Value.HeadersRead) evict = node.Value;
                    if (evict == null)
                    {
                        Interlocked.Increment(ref _evicted);
                        _log?.Verbose($"Request from {connection.Peer}: closed, all {_options.MaxConnections} connections hold requests in progress.");
                        return false;
                    }
                    _open.Remove(evict);
                }
                _open.AddLast(connection);
            }
            if (evict != null)
            {
                Interlocked.Increment(ref _evicted);
                _log?.Verbose($"Request from {evict.Peer}: closed before its headers ended, to make room ({_options.MaxConnections} connections at most).");
                evict.Abort();
            }
            return true;
        }

        private void Forget(WebhookConnection connection)
        {
            lock (_gate) _open.Remove(connection);
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

        /// <summary>Stops listening, closes every connection and declines (503) the verified webhooks nobody took.</summary>
        public void Dispose()
        {
            _stopping.Cancel();
            _listener.Stop();
            while (_verified.TryDequeue(out var waiting)) waiting.Decline();
            WebhookConnection[] open;
            lock (_gate) open = new List<WebhookConnection>(_open).ToArray();
            foreach (var connection in open) connection.Abort();
            _forwarder?.Dispose();
        }
    }
}
