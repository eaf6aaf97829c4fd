using System;
using System.IO;

namespace FinqLink.Azure.Storage
{
    /// <summary>A download read through: how many bytes it held and the last of them (where the next append goes, and whether a newline ended it).</summary>
    internal sealed class Counted : Stream
    {
        private readonly Stream _inner;

        public Counted(Stream inner) => _inner = inner;

        public long Count { get; private set; }

        /// <summary>The last byte read; -1 before any.</summary>
        public int Last { get; private set; } = -1;

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = _inner.Read(buffer, offset, count);
            if (read > 0)
            {
                Count += read;
                Last = buffer[offset + read - 1];
            }
            return read;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Count; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
