using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace FinqLink.Webhooks
{
    /// <summary>A request that cannot be served, with the status to answer and why (for -Verbose).</summary>
    public sealed class HttpRefusalException : Exception
    {
        public HttpRefusalException(int status, string message) : base(message) => Status = status;
        // The standard constructors (CA1032) refuse as a malformed request, never with status 0.
        public HttpRefusalException() : this(400, "the request is malformed") { }
        public HttpRefusalException(string message) : this(400, message) { }
        public HttpRefusalException(string message, Exception innerException) : base(message, innerException) => Status = 400;
        public int Status { get; }
    }

    /// <summary>
    /// The request line and headers of an HTTP/1.x request, read strictly: only what a webhook sender needs (origin-form
    /// target, Content-Length) is understood, and anything else that could change how the body is framed (obsolete line
    /// folding, Transfer-Encoding, conflicting Content-Lengths, bare LF, control characters) is refused rather than
    /// guessed at, so a proxy in front and this reader can never disagree about where a request ends.
    /// </summary>
    public sealed class HttpRequestHead
    {
        private static readonly string[] LineBreak = { "\r\n" };
        private readonly Dictionary<string, string> _headers;

        private HttpRequestHead(string method, string target, Dictionary<string, string> headers, byte[] bodyStart)
        {
            Method = method;
            Target = target;
            _headers = headers;
            BodyStart = bodyStart;
        }

        public string Method { get; }
        /// <summary>The path and query, as sent.</summary>
        public string Target { get; }
        /// <summary>Body bytes that arrived in the same reads as the headers.</summary>
        public byte[] BodyStart { get; }

        /// <summary>A header's value; repeated headers are joined with ", " (RFC 9110 §5.3).</summary>
        public string? this[string name] => _headers.TryGetValue(name, out var value) ? value : null;

        /// <summary>Reads until the blank line that ends the headers; more than <paramref name="maxBytes"/> is refused (431).</summary>
        public static async Task<HttpRequestHead> ReadAsync(Stream stream, int maxBytes, CancellationToken cancellationToken)
        {
            var buffer = new byte[maxBytes];
            var filled = 0;
            while (true)
            {
                if (filled == buffer.Length) throw new HttpRefusalException(431, $"the request line and headers are over {maxBytes} bytes");
                var read = await stream.ReadAsync(buffer, filled, buffer.Length - filled, cancellationToken).ConfigureAwait(false);
                if (read == 0) throw new EndOfStreamException("the client closed the connection before the headers ended");
                var searchFrom = Math.Max(0, filled - 3);
                filled += read;
                var end = IndexOfBlankLine(buffer, searchFrom, filled);
                if (end < 0) continue;
                var bodyStart = new byte[filled - end - 4];
                Buffer.BlockCopy(buffer, end + 4, bodyStart, 0, bodyStart.Length);
                return Parse(Encoding.ASCII.GetString(buffer, 0, end), bodyStart);
            }
        }

        /// <summary>The body's length from Content-Length; a missing, chunked or conflicting length is refused.</summary>
        public long ContentLength()
        {
            if (this["Transfer-Encoding"] != null) throw new HttpRefusalException(411, "Transfer-Encoding is not accepted; send the body with a Content-Length");
            var text = this["Content-Length"];
            if (text == null) throw new HttpRefusalException(411, "the request has no Content-Length");
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
                throw new HttpRefusalException(400, $"Content-Length '{text}' is not one whole number");
            return length;
        }

        private static int IndexOfBlankLine(byte[] buffer, int from, int to)
        {
            for (var i = from; i + 3 < to; i++)
                if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n') return i;
            return -1;
        }

        private static HttpRequestHead Parse(string head, byte[] bodyStart)
        {
            var lines = head.Split(LineBreak, StringSplitOptions.None);
            var requestLine = lines[0].Split(' ');
            // The target is echoed into -Verbose: an escape sequence in it must not reach the terminal.
            if (HasControlCharacters(lines[0]) || requestLine.Length != 3 || !IsToken(requestLine[0]) || !requestLine[1].StartsWith("/", StringComparison.Ordinal) || (requestLine[2] != "HTTP/1.1" && requestLine[2] != "HTTP/1.0"))
                throw new HttpRefusalException(400, "the request line is not 'METHOD /path HTTP/1.1'");
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 1; i < lines.Length; i++)
            {
                var line = lines[i];
                var colon = line.IndexOf(':');
                if (colon <= 0 || !IsToken(line.Substring(0, colon)) || HasControlCharacters(line))
                    throw new HttpRefusalException(400, $"header line {i} is not 'Name: value' (folded or malformed headers are refused)");
                var name = line.Substring(0, colon);
                var value = line.Substring(colon + 1).Trim(' ', '\t');
                if (headers.TryGetValue(name, out var earlier))
                {
                    if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && earlier != value) throw new HttpRefusalException(400, "the request has two different Content-Lengths");
                    if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) headers[name] = earlier + ", " + value;
                }
                else headers[name] = value;
            }
            return new HttpRequestHead(requestLine[0], requestLine[1], headers, bodyStart);
        }

        private static bool IsToken(string text)
        {
            if (text.Length == 0) return false;
            foreach (var c in text)
                if (c <= ' ' || c >= 127 || "\"(),/:;<=>?@[\\]{}".IndexOf(c) >= 0) return false;
            return true;
        }

        /// <summary>A bare CR or LF inside a line, or any other control character but tab (ESC too), is refused.</summary>
        private static bool HasControlCharacters(string line)
        {
            foreach (var c in line)
                if ((c < ' ' && c != '\t') || c == 127) return true;
            return false;
        }
    }
}
