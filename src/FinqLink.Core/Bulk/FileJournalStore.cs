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
    /// torn by a run killed mid-write is cut off when the file is opened next, and reported. Holds no secrets.
    /// </summary>
    public sealed class FileJournalStore : IJournalStore
    {
        private static readonly byte[] NewLine = { (byte)'\n' };
        private readonly Stream _file;
        // One batch's lines, written with one call: reused, as LinkJournal appends one batch at a time.
        private readonly MemoryStream _batch = new MemoryStream();
        private readonly Utf8JsonWriter _writer;
        private readonly List<JournalEntry> _loaded = new List<JournalEntry>();

        private FileJournalStore(string path, Stream file)
        {
            Location = path;
            _file = file;
            _writer = new Utf8JsonWriter(_batch, new JsonWriterOptions { Encoder = FinqJson.Options.Encoder, SkipValidation = true });
        }

        public string Location { get; }

        public string? Repaired { get; private set; }

        public IReadOnlyList<JournalEntry> Loaded => _loaded;

        /// <summary>Opens (or creates) the file and holds it until disposed.</summary>
        public static FileJournalStore Open(string path)
        {
            FileStream file;
            // Unbuffered: each batch is one write of its own, then flushed to the disk.
            try { file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None); }
            catch (IOException e) when (!(e is FileNotFoundException) && !(e is DirectoryNotFoundException))
            {
                throw new JournalInUseException($"{path} is in use by another run (or cannot be opened: {e.Message}). One run at a time may use a journal.", e);
            }
            return Over(path, file);
        }

        /// <summary>A journal on a stream opened elsewhere (tests use one whose disk fills up).</summary>
        internal static FileJournalStore Over(string path, Stream file)
        {
            var store = new FileJournalStore(path, file);
            try { store.Load(); }
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
                _file.Write(_batch.GetBuffer(), 0, (int)_batch.Length);
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

        private void Load()
        {
            var bytes = new MemoryStream();
            _file.Position = 0;
            _file.CopyTo(bytes);
            var lines = JournalLines.Parse(bytes.ToArray(), Location);
            _loaded.AddRange(lines.Entries);
            Repaired = lines.Repaired;
            if (Repaired != null) _file.SetLength(lines.GoodEnd);
            _file.Position = lines.GoodEnd;
            if (lines.MissingNewLine && Repaired == null) _file.Write(NewLine, 0, 1);
        }

        public void Dispose()
        {
            _writer.Dispose();
            _file.Dispose();
        }
    }
}
