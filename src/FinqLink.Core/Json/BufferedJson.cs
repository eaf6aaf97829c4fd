using System;
using System.Buffers;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace FinqLink.Json
{
    /// <summary>
    /// Reads an answer whole into a pooled buffer, then deserialises it in one synchronous pass: faster than the
    /// resumable read of <see cref="JsonSerializer.DeserializeAsync{TValue}(Stream, JsonSerializerOptions, CancellationToken)"/>,
    /// and a page of 250 items (~150 KB) reuses the same large buffer instead of allocating one per page.
    /// </summary>
    internal static class BufferedJson
    {
        private const int FirstBufferSize = 64 * 1024;

        public static async Task<T> ReadAsync<T>(Stream stream, JsonSerializerOptions options, CancellationToken cancellationToken) where T : class
        {
            var buffer = ArrayPool<byte>.Shared.Rent(FirstBufferSize);
            var length = 0;
            try
            {
                while (true)
                {
                    if (length == buffer.Length) buffer = Grow(buffer, length);
                    var read = await stream.ReadAsync(buffer, length, buffer.Length - length, cancellationToken).ConfigureAwait(false);
                    if (read == 0) break;
                    length += read;
                }
                return JsonSerializer.Deserialize<T>(new ReadOnlySpan<byte>(buffer, 0, length), options)
                    ?? throw new JsonException("The answer is JSON null.");
            }
            finally { ArrayPool<byte>.Shared.Return(buffer); }
        }

        private static byte[] Grow(byte[] buffer, int length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
            Buffer.BlockCopy(buffer, 0, larger, 0, length);
            ArrayPool<byte>.Shared.Return(buffer);
            return larger;
        }
    }
}
