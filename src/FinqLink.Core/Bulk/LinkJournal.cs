using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using FinqLink.Json;

namespace FinqLink.Bulk
{
    /// <summary>
    /// The record of a bulk run: one JSON line per state change, on disk before the step it records happens. One run holds
    /// it at a time (an exclusive lock that every .NET process honours, on every OS). Lines are appended, never rewritten;
    /// concurrent rows share one flush (group commit). A line torn by a run killed mid-write is cut off when the journal is
    /// opened next, and reported. Holds no secrets.
    /// </summary>
    public sealed class LinkJournal : IDisposable
    {
        private static readonly byte[] NewLine = { (byte)'\n' };
        private readonly object _gate = new object();
        private readonly Dictionary<string, JournalEntry> _latest = new Dictionary<string, JournalEntry>(StringComparer.Ordinal);
        private readonly Stream _file;
        private readonly Func<DateTimeOffset> _now;
        private List<(byte[] Line, TaskCompletionSource<bool> Done)> _queued = new List<(byte[], TaskCompletionSource<bool>)>();
        private bool _flushing;
        private Exception? _broken;

        internal LinkJournal(string path, Stream file, Func<DateTimeOffset> now)
        {
            Path = path;
            _file = file;
            _now = now;
        }

        public string Path { get; }

        /// <summary>Set when opening cut off a torn last line: what was removed, for the user.</summary>
        public string? Repaired { get; private set; }

        public static LinkJournal Open(string path, Func<DateTimeOffset>? now = null)
        {
            FileStream file;
            try { file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 4096, FileOptions.None); }
            catch (IOException e) when (!(e is FileNotFoundException) && !(e is DirectoryNotFoundException))
            {
                throw new JournalInUseException($"{path} is in use by another run (or cannot be opened: {e.Message}). One run at a time may use a journal.", e);
            }
            var journal = new LinkJournal(path, file, now ?? (() => DateTimeOffset.UtcNow));
            try { journal.Load(); }
            catch { journal.Dispose(); throw; }
            return journal;
        }

        public JournalEntry? Find(string key)
        {
            lock (_gate) return _latest.TryGetValue(key, out var entry) ? entry : null;
        }

        public IReadOnlyList<JournalEntry> Entries
        {
            get { lock (_gate) return _latest.Values.ToList(); }
        }

        /// <summary>Every link the journal attributes to a row: none of them can be another row's.</summary>
        public ISet<string> ClaimedLinkIds
        {
            get
            {
                lock (_gate)
                    return new HashSet<string>(_latest.Values.Where(e => e.LinkId != null && e.State == JournalState.Created).Select(e => e.LinkId!)
                        .Concat(_latest.Values.SelectMany(e => e.Superseded ?? Array.Empty<string>())), StringComparer.Ordinal);
            }
        }

        /// <summary>
        /// Appends <paramref name="entry"/> (filling what it lacks from the key's earlier lines) and completes once it is
        /// flushed to disk. A failed write fails this and every later append: the run must stop.
        /// </summary>
        public Task AppendAsync(JournalEntry entry)
        {
            entry.At = _now();
            TaskCompletionSource<bool> done;
            lock (_gate)
            {
                if (_broken != null) return Failed(_broken);
                _latest.TryGetValue(entry.Key, out var earlier);
                var merged = entry.Copy().Inherit(earlier);
                _latest[entry.Key] = merged;
                done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                _queued.Add((JsonSerializer.SerializeToUtf8Bytes(entry, FinqJson.Options), done));
                if (_flushing) return done.Task;
                _flushing = true;
            }
            Task.Run(FlushQueued);
            return done.Task;
        }

        private void FlushQueued()
        {
            while (true)
            {
                List<(byte[] Line, TaskCompletionSource<bool> Done)> batch;
                lock (_gate)
                {
                    if (_queued.Count == 0) { _flushing = false; return; }
                    batch = _queued;
                    _queued = new List<(byte[], TaskCompletionSource<bool>)>();
                }
                try
                {
                    foreach (var (line, _) in batch)
                    {
                        _file.Write(line, 0, line.Length);
                        _file.Write(NewLine, 0, 1);
                    }
                    if (_file is FileStream disk) disk.Flush(flushToDisk: true); else _file.Flush();
                    foreach (var (_, done) in batch) done.TrySetResult(true);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is NotSupportedException)
                {
                    var failure = new JournalWriteException($"{Path} could not be written ({e.Message}); the run stops, because rows it cannot record could be created twice.", e);
                    lock (_gate)
                    {
                        _broken = failure;
                        foreach (var (_, queued) in _queued) queued.TrySetException(failure);
                        _queued.Clear();
                        _flushing = false;
                    }
                    foreach (var (_, done) in batch) done.TrySetException(failure);
                    return;
                }
            }
        }

        private void Load()
        {
            var bytes = new MemoryStream();
            _file.Position = 0;
            _file.CopyTo(bytes);
            var data = bytes.ToArray();
            long goodEnd = 0;
            var missingNewLine = false;
            var start = 0;
            var number = 0;
            while (start < data.Length)
            {
                number++;
                var end = Array.IndexOf(data, (byte)'\n', start);
                var complete = end >= 0;
                var length = (complete ? end : data.Length) - start;
                var text = Encoding.UTF8.GetString(data, start, length).Trim();
                JournalEntry? entry = null;
                var parsed = text.Length == 0 || TryParse(text, out entry);
                if (!parsed)
                {
                    if (complete && end < data.Length - 1)
                        throw new FormatException($"{Path}: line {number} is not a journal entry, and lines follow it; this file is not (or no longer) a FinqLink journal.");
                    Repaired = $"line {number} of {Path} was incomplete (a run was stopped while writing it) and was removed: {Truncate(text)}";
                    break;
                }
                if (entry != null) _latest[entry.Key] = entry.Inherit(_latest.TryGetValue(entry.Key, out var earlier) ? earlier : null);
                goodEnd = complete ? end + 1 : data.Length;
                missingNewLine = !complete && text.Length > 0;
                start = complete ? end + 1 : data.Length;
            }
            if (Repaired != null) _file.SetLength(goodEnd);
            _file.Position = goodEnd;
            // A last entry written whole but without its newline is kept; the next line must not be glued to it.
            if (missingNewLine && Repaired == null) _file.Write(NewLine, 0, 1);
        }

        private static bool TryParse(string text, out JournalEntry? entry)
        {
            try
            {
                entry = JsonSerializer.Deserialize<JournalEntry>(text, FinqJson.Options);
                return entry != null && entry.Key.Length > 0;
            }
            catch (JsonException)
            {
                entry = null;
                return false;
            }
        }

        private static Task Failed(Exception e)
        {
            var failed = new TaskCompletionSource<bool>();
            failed.SetException(e);
            return failed.Task;
        }

        private static string Truncate(string text) => text.Length <= 80 ? text : text.Substring(0, 80) + "…";

        public void Dispose() => _file.Dispose();
    }

    /// <summary>Another run holds the journal.</summary>
    public sealed class JournalInUseException : IOException
    {
        public JournalInUseException(string message, Exception inner) : base(message, inner) { }
    }

    /// <summary>The journal could not be written (a full disk, say): the run must stop sending.</summary>
    public sealed class JournalWriteException : IOException
    {
        public JournalWriteException(string message, Exception inner) : base(message, inner) { }
    }
}
