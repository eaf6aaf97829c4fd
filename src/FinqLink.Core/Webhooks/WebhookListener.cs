using System;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Http;

namespace FinqLink.Webhooks
{
    /// <summary>
    /// Receives FinqLink's webhooks and verifies each one as <see cref="WebhookVerifier"/> does: a valid one is handed to
    /// the caller (and relayed, with its signature headers, to <c>forwardTo</c> if given), to be answered 204 once taken;
    /// anything else is answered 401 (or 400/403/404/405/411/413/431) and only counted; a verified webhook the caller
    /// does not take in time is answered 503 (see <see cref="VerifiedQueue"/>). Connections are served at once,
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
        private readonly WebhookForwarder? _forwarder;
        private readonly IRequestLog? _log;
        private readonly TcpListener _listener;
        private readonly ConnectionSlots _open;
        private readonly VerifiedQueue _verified;
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private int _accepted, _refused, _timedOut, _evicted, _deferred;

        public WebhookListener(WebhookListenerOptions options, Func<string, CancellationToken, Task<WebhookKey?>> findKey, Uri? forwardTo, IRequestLog? log)
        {
            _options = options;
            _findKey = findKey;
            _forwarder = forwardTo == null ? null : new WebhookForwarder(forwardTo);
            _log = log;
            _listener = new TcpListener(options.EndPoint);
            _open = new ConnectionSlots(options.MaxConnections);
            _verified = new VerifiedQueue(options.MaxWaitingWebhooks, options.PipelineTimeout, options.Time);
        }

        /// <summary>The address listened on, e.g. http://127.0.0.1:8080/ (the real port once started on port 0).</summary>
        public string Url => $"http://{(Started ? _listener.LocalEndpoint : _options.EndPoint)}{_options.Path}";
        public int Accepted => Volatile.Read(ref _accepted);
        public int Refused => Volatile.Read(ref _refused);
        /// <summary>Connections closed because a header or body deadline passed (those closed at the cap are <see cref="Evicted"/>).</summary>
        public int TimedOut => Volatile.Read(ref _timedOut);
        /// <summary>Connections closed to make room at the cap, or newcomers closed because every place held a request.</summary>
        public int Evicted => Volatile.Read(ref _evicted);
        /// <summary>Verified webhooks answered 503 because too many waited for the caller, or one waited too long.</summary>
        public int Deferred => Volatile.Read(ref _deferred);
        public int OpenConnections => _open.Count;
        public int WaitingWebhooks => _verified.Waiting;
        internal int OpenIn(ConnectionPhase phase) => _open.CountIn(phase);
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
            var received = await _verified.NextAsync(cancellationToken).ConfigureAwait(false);
            received.Event.IsDuplicate = _options.Duplicates.WasTaken(received.BodyDigest);
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
                try { connection = new WebhookConnection(socket, _options.Time, _open.Remove); }
                catch (Exception e) when (e is SocketException || e is ObjectDisposedException) { socket.Dispose(); continue; }
                if (RefusedAtAccept(connection)) continue;
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
                connection.Phase = ConnectionPhase.Body;
                var received = await ReadAndVerifyAsync(connection, head).ConfigureAwait(false);
                handedOn = true;
                if (_verified.TryAdd(received, () => Defer(connection, $"not taken within {_options.PipelineTimeout.TotalSeconds:0.#} s"))) return;
                received.Decline();
                Defer(connection, $"{_options.MaxWaitingWebhooks} verified webhooks already wait");
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

        /// <summary>
        /// Without a trusted proxy the peer is the sender, so one that -AllowedSourceAddress refuses is closed at once,
        /// before it can take a place (or make a genuine sender's place be taken) while its headers come.
        /// </summary>
        private bool RefusedAtAccept(WebhookConnection connection)
        {
            if (_options.AllowedSources.IsEmpty || !_options.TrustedProxies.IsEmpty) return false;
            var sender = ClientAddress.Resolve(connection.Peer, null, _options.TrustedProxies)!;
            if (_options.AllowedSources.Contains(sender)) return false;
            Interlocked.Increment(ref _refused);
            _log?.Verbose($"Connection from {sender}: closed at once, it is not an allowed source ({_options.AllowedSources}).");
            connection.Abort();
            return true;
        }

        private void Defer(WebhookConnection connection, string why)
        {
            Interlocked.Increment(ref _deferred);
            _log?.Verbose($"Request from {connection.Peer}: answered 503 (FinqLink delivers it again), {why}.");
        }

        private async Task<ReceivedWebhook> ReadAndVerifyAsync(WebhookConnection connection, HttpRequestHead head)
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
            var body = await WithDeadline(connection, _options.BodyTimeout, "the body", () => true, ct => RequestBody.ReadAsync(connection.Stream, head.BodyStart, (int)length, ct)).ConfigureAwait(false);

            var signature = head[WebhookHeaders.Signature];
            var kid = head[WebhookHeaders.KeyId];
            var verdict = await WebhookVerifier.VerifyAsync(body, signature, kid, _findKey, _stopping.Token).ConfigureAwait(false);
            if (!verdict.IsValid) throw new HttpRefusalException(401, $"POST {path} from {client}: {verdict.Failure}");
            connection.Phase = ConnectionPhase.Verified; // no longer closed at the cap, even while it is forwarded
            WebhookEvent webhook;
            try { webhook = WebhookEvent.Parse(body); }
            catch (FormatException e) { throw new HttpRefusalException(400, $"POST {path}: signed, but {e.Message}"); }
            webhook.KeyId = verdict.KeyId;
            webhook.ReceivedAt = _options.Time.GetUtcNow();
            _log?.Verbose($"POST {path} from {client}: {webhook} (kid {verdict.KeyId}) verified");
            var forwarded = _forwarder == null ? null : await _forwarder.ForwardAsync(body, signature!, kid!, _stopping.Token).ConfigureAwait(false);
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

        /// <summary>Counts a new connection, closing another to make room at the cap; false when the newcomer was not taken.</summary>
        private bool Track(WebhookConnection connection)
        {
            var (taken, evicted) = _open.TryAdd(connection);
            if (!taken)
            {
                Interlocked.Increment(ref _evicted);
                _log?.Verbose($"Request from {connection.Peer}: closed, all {_options.MaxConnections} connections hold verified webhooks.");
                return false;
            }
            if (evicted != null)
            {
                Interlocked.Increment(ref _evicted);
                _log?.Verbose($"Request from {evicted.Peer}: closed while {Describe(evicted.Phase)}, to make room ({_options.MaxConnections} connections at most).");
                evicted.Evict();
            }
            return true;
        }

        private static string Describe(ConnectionPhase phase) =>
            phase == ConnectionPhase.Headers ? "sending its headers" : phase == ConnectionPhase.Body ? "sending its body" : "draining after its answer";

        /// <summary>Stops listening, closes every connection and declines (503) the verified webhooks nobody took.</summary>
        public void Dispose()
        {
            _stopping.Cancel();
            _listener.Stop();
            _verified.DeclineAll();
            _verified.Dispose();
            foreach (var connection in _open.ToArray()) connection.Evict();
            _forwarder?.Dispose();
        }
    }
}
