using System;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace FinqLink.Webhooks
{
    /// <summary>Where a connection is in its life: what decides which one is closed first at the cap.</summary>
    internal enum ConnectionPhase
    {
        Headers,
        Body,
        Verified,
        Draining,
    }

    /// <summary>
    /// One accepted connection: answered once (a status line, no body, Connection: close) and then closed, or aborted
    /// when a deadline passes or the listener needs its place. It is counted until its socket is really closed, after
    /// the drain that follows an answer.
    /// </summary>
    internal sealed class WebhookConnection
    {
        private static readonly TimeSpan LingerAfterAnswer = TimeSpan.FromSeconds(2);
        private readonly Socket _socket;
        private readonly TimeProvider _time;
        private readonly Action<WebhookConnection> _onClosed;
        private int _answered, _released;

        public WebhookConnection(Socket socket, TimeProvider time, Action<WebhookConnection> onClosed)
        {
            _socket = socket;
            _time = time;
            _onClosed = onClosed;
            Peer = ((IPEndPoint)socket.RemoteEndPoint).Address;
            Stream = new NetworkStream(socket, ownsSocket: false);
        }

        public IPAddress Peer { get; }
        public NetworkStream Stream { get; }

        /// <summary>Draining ones are closed first at the cap, then those sending headers, then those sending a body.</summary>
        public volatile ConnectionPhase Phase;

        /// <summary>True once answered or aborted: nothing more is read from it.</summary>
        public bool IsClosed => Volatile.Read(ref _answered) != 0;

        /// <summary>Sends the status and closes. False when it was answered or closed before, or the client is gone.</summary>
        public bool Answer(int status)
        {
            if (Interlocked.Exchange(ref _answered, 1) != 0) return false;
            Phase = ConnectionPhase.Draining;
            try
            {
                var reason = Reason(status);
                if (reason == null) (status, reason) = (500, "Internal Server Error"); // never a status line without a real status
                var bytes = Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {reason}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                _socket.SendTimeout = 5000;
                _socket.Send(bytes);
                _socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is SocketException || e is ObjectDisposedException)
            {
                Close();
                return false;
            }
            _ = DrainThenCloseAsync();
            return true;
        }

        /// <summary>Closes without an answer (a deadline passed, or the client went away); a no-op once answered.</summary>
        public void Abort()
        {
            if (Interlocked.Exchange(ref _answered, 1) != 0) return;
            Close();
        }

        /// <summary>Closes now, answered or not: the place is needed, or the listener stops. Ends a drain at once.</summary>
        public void Evict()
        {
            Interlocked.Exchange(ref _answered, 1);
            Close();
        }

        private void Close()
        {
            _socket.Dispose();
            if (Interlocked.Exchange(ref _released, 1) == 0) _onClosed(this);
        }

        /// <summary>
        /// Reads what the client still sends (an unread body) for a moment before closing: closing a socket with unread
        /// data resets the connection, and the client may then lose the answer it was sent (a 403 or 413).
        /// </summary>
        private async Task DrainThenCloseAsync()
        {
            try
            {
                using var linger = _time.CreateCancellationTokenSource(LingerAfterAnswer);
                using var stop = linger.Token.Register(() => _socket.Dispose());
                var sink = new byte[4096];
                var total = 0;
                int read;
                while (total < 1024 * 1024 && (read = await Stream.ReadAsync(sink, 0, sink.Length, linger.Token).ConfigureAwait(false)) > 0) total += read;
            }
            catch (Exception e) when (e is System.IO.IOException || e is ObjectDisposedException || e is OperationCanceledException || e is SocketException) { }
            finally { Close(); }
        }

        private static string? Reason(int status)
        {
            switch (status)
            {
                case 204: return "No Content";
                case 400: return "Bad Request";
                case 401: return "Unauthorized";
                case 403: return "Forbidden";
                case 404: return "Not Found";
                case 405: return "Method Not Allowed";
                case 411: return "Length Required";
                case 413: return "Content Too Large";
                case 431: return "Request Header Fields Too Large";
                case 503: return "Service Unavailable";
                default: return null;
            }
        }
    }
}
