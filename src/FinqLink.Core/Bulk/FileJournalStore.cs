using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Json;

namespace FinqLink.Bulk
{
    /// <summary>
    /// A journal in a local JSON Lines file (the default). Held with an exclusive lock that every .NET process honours, on
    /// every OS, and that the OS lets go when the run dies. Each append is flushed to the disk before it completes. A line
    /// torn by a run killed mid-write is cut off when the file is opened next, and reported. Holds no secrets, and no
    /// entries: opening reads the file through once to check it, and <see cref="Read"/> reads it again each time.
    /// </summary>
    public sealed class FileJournalStore : IJournalStore, IJournalTail
    {
        private static readonly byte[] NewLine = { (byte)'\n' };
        private readonly Stream _file;
        // One batch's lines, written with one call: reused, as LinkJournal appends one batch at a time.
        private readonly MemoryStream _batch = new MemoryStream();
        private readonly Utf8JsonWriter _writer;
        // Where the next append goes: the end of the file (reads move the file's position, appends put it back).
        private long _end;

        private FileJournalStore(string path, Stream file)
        {
            Location = path;
            _file = file;
            _writer = new Utf8JsonWriter(_batch, new JsonWriterOptions { Encoder = FinqJson.Options.Encoder, SkipValidation = true });
        }

        public string Location { get; }

        public string? Repaired { get; private set; }

        public IEnumerable<JournalEntry> Read() => ReadFrom(0);

        public long Length => _end;

        public IEnumerable<JournalEntry> ReadFrom(long offset)
        {
            var lines = JournalLines.Over(new FileFrom(this, offset), Location);
            foreach (var entry in lines.Entries()) yield return entry;
        }

        /// <summary>Opens (or creates) the file and holds it until disposed (see <see cref="JournalStoreOptions.CheckedUpTo"/>).</summary>
        public static FileJournalStore Open(string path, long checkedUpTo = 0)
        {
            FileStream file;
            // Unbuffered: each batch is one write of its own, then flushed to the disk.
            try { file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None); }
            catch (IOException e) when (!(e is FileNotFoundException) && !(e is DirectoryNotFoundException))
            {
                throw new JournalInUseException($"{path} is in use by another run (or cannot be opened: {e.Message}). One run at a time may use a journal.", e);
            }
            return Over(path, file, checkedUpTo);
        }

        /// <summary>A journal on a stream opened elsewhere (tests use one whose disk fills up).</summary>
        internal static FileJournalStore Over(string path, Stream file, long checkedUpTo = 0)
        {
            var store = new FileJournalStore(path, file);
            try { store.Load(checkedUpTo); }
            catch { store.Dispose(); throw; }
            return store;
        }

        public Task AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken)
        {
            try
            {
                _batch.SetLength(0);
                foreach (var entry in entries)
                {
                    _writer.Reset(_batch);
                    JsonSerializer.Serialize(_writer, entry, FinqJson.Options);
                    _writer.Flush();
                    _batch.WriteByte((byte)'\n');
                }
                _file.Position = _end;
                _file.Write(_batch.GetBuffer(), 0, (int)_batch.Length);
                _end += _batch.Length;
                if (_file is FileStream disk) disk.Flush(flushToDisk: true); else _file.Flush();
                return Task.CompletedTask;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is NotSupportedException || e is ObjectDisposedException)
            {
                var failed = new TaskCompletionSource<bool>();
                failed.SetException(new JournalWriteException($"{Location} could not be written ({e.Message}); the run stops, because rows it cannot record could be created twice.", e));
                return failed.Task;
            }
        }

        private void Load(long checkedUpTo)
        {
            var from = StartsLine(checkedUpTo) ? checkedUpTo : 0;
            JournalLines lines;
            try { lines = JournalLines.Scan(new FileFrom(this, from), Location); }
            catch (FormatException) when (from > 0)
            {
                from = 0;
                lines = JournalLines.Scan(new FileFrom(this, 0), Location);
            }
            Repaired = lines.Repaired;
            var goodEnd = from + lines.GoodEnd;
            if (Repaired != null) _file.SetLength(goodEnd);
            _file.Position = _end = goodEnd;
            if (lines.MissingNewLine && Repaired == null)
            {
                _file.Write(NewLine, 0, 1);
                _end++;
            }
        }

        /// <summary>Whether <paramref name="offset"/> starts a line of the file as it is now: the byte before it is a newline.</summary>
        private bool StartsLine(long offset)
        {
            if (offset <= 0 || offset > _file.Length) return false;
            _file.Position = offset - 1;
            return _file.ReadByte() == '\n';
        }

        public void Dispose()
        {
            _writer.Dispose();
            _file.Dispose();
        }

        /// <summary>The file read from an offset at a position of its own, in 64 KiB reads, up to wherever it ends now.</summary>
        private sealed class FileFrom : Stream
        {
            private readonly FileJournalStore _store;
            private long _at;

            public FileFrom(FileJournalStore store, long offset)
            {
                _store = store;
                _at = offset;
            }

            public override int Read(byte[] buffer, int offset, int count)
            {
                _store._file.Position = _at;
                var read = _store._file.Read(buffer, offset, count);
                _at += read;
                return read;
            }

            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => _at; set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
