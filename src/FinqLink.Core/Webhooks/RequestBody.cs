using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace FinqLink.Webhooks
{
    /// <summary>Reads a Content-Length body into a buffer that grows as bytes arrive, never ahead of them.</summary>
    internal static class RequestBody
    {
        /// <summary>
        /// The first buffer: a webhook body fits, and a client that announces 1 MiB and sends nothing holds only this
        /// (not 1 MiB per connection, 128 MiB at the cap, before a byte came).
        /// </summary>
        internal const int FirstBufferBytes = 16 * 1024;

        public static async Task<byte[]> ReadAsync(Stream stream, byte[] start, int length, CancellationToken cancellationToken)
        {
            var body = new byte[Math.Min(length, Math.Max(start.Length, FirstBufferBytes))];
            Buffer.BlockCopy(start, 0, body, 0, start.Length);
            for (var filled = start.Length; filled < length;)
            {
                if (filled == body.Length) Array.Resize(ref body, (int)Math.Min(length, 2L * body.Length));
                var read = await stream.ReadAsync(body, filled, body.Length - filled, cancellationToken).ConfigureAwait(false);
                if (read == 0) throw new EndOfStreamException("the client closed the connection inside the body");
                filled += read;
            }
            return body;
        }
    }
}
