using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace FinqLink.Bulk
{
    /// <summary>
    /// The record of a bulk run, over a store that keeps it (<see cref="IJournalStore"/>): one entry per state change,
    /// durable before the step it records happens. Knows each row's latest state (the last entry of a key wins; fields it
    /// lacks come from earlier ones), compactly (<see cref="JournalRecord"/>): a run of a million rows keeps them all.
    /// Concurrent rows share one write (group commit). A failed write fails it and every later append: the run must stop.
    /// </summary>
    public sealed class LinkJournal : IDisposable
    {
        private readonly IJournalStore _store;
        private readonly Func<DateTimeOffset> _now;
        // What the writer calls to wait out GroupCommitGap: Thread.Sleep, or a test's gate.
        private readonly Action<TimeSpan> _pause;
        // Guards the latest entries and the queue of entries waiting for the next write.
        private readonly object _gate = new object();
        private readonly Dictionary<string, JournalRecord> _latest = new Dictionary<string, JournalRecord>(StringComparer.Ordinal);
        private readonly StringPool _pool = new StringPool();
        private readonly RecordWriter _writer = new RecordWriter();
        private List<JournalEntry> _queued = new List<JournalEntry>();
        // Completed once the entries queued so far are durable; replaced by each write.
        private TaskCompletionSource<bool> _queuedDone = NewCompletion();
        // The writer: a thread of its own, started by the first append. A file store flushes to the disk synchronously, and
        // a flush on a thread-pool thread would take one of the few threads the rows' requests and answers run on.
        private Thread? _writerThread;
        private bool _writing, _closing;
        private Exception? _broken;

        private LinkJournal(IJournalStore store, Func<DateTimeOffset> now, Action<TimeSpan> pause)
        {
            _store = store;
            _now = now;
            _pause = pause;
            foreach (var entry in store.Read()) Remember(entry);
        }

        /// <summary>A journal over an opened store; disposing the journal disposes the store.</summary>
        public static LinkJournal Over(IJournalStore store, Func<DateTimeOffset>? now = null) => Over(store, now, Thread.Sleep);

        /// <summary>The same, with what the writer calls to wait out <see cref="GroupCommitGap"/> (tests hold it).</summary>
        internal static LinkJournal Over(IJournalStore store, Func<DateTimeOffset>? now, Action<TimeSpan> pause) =>
            new LinkJournal(store, now ?? (() => DateTimeOffset.UtcNow), pause);

        /// <summary>
        /// After a write of several entries (rows under way together), the next write starts no sooner than this after it
        /// began, and takes every entry queued meanwhile. A flush to the disk costs the machine far more than writing a line
        /// (about 0.3 ms of CPU each on a 2-core VM, measured), and with flushes back to back a bulk run with no latency
        /// spent a third of its CPU on them: 3,200 flushes for 10,000 rows. Waiting lets each flush carry more rows, and
        /// the rows taken ahead (<see cref="Admission.RowsAhead"/>) keep the API busy meanwhile. A lone appender (a
        /// refused row, a reconciled verdict) writes at once, as before.
        /// </summary>
        internal static readonly TimeSpan GroupCommitGap = TimeSpan.FromMilliseconds(4);

        /// <summary>How long disposing waits for the writer to finish what is queued.</summary>
        private static readonly TimeSpan WriterGrace = TimeSpan.FromSeconds(10);

        /// <summary>Where the store keeps the journal: for messages, and to place the slot registry beside it.</summary>
        public string Location => _store.Location;

        /// <summary>Set when opening cut off a torn last line: what was removed, for the user.</summary>
        public string? Repaired => _store.Repaired;

        public JournalEntry? Find(string key)
        {
            lock (_gate) return _latest.TryGetValue(key, out var record) ? record.Expand(key, _pool) : null;
        }

        /// <summary>Each key's latest entry (copies: changing one changes nothing in the journal).</summary>
        public IReadOnlyList<JournalEntry> Entries
        {
            get { lock (_gate) return _latest.Select(r => r.Value.Expand(r.Key, _pool)).ToList(); }
        }

        /// <summary>The link of some row the journal holds as created, if any: what a journal that names no client is checked by.</summary>
        public string? AnyCreatedLinkId()
        {
            lock (_gate)
                foreach (var pair in _latest)
                    if (pair.Value.Expand(pair.Key, _pool) is JournalEntry entry && entry.State == JournalState.Created && entry.LinkId != null) return entry.LinkId;
            return null;
        }

        /// <summary>
        /// Which of <paramref name="linkIds"/> (links a listing found) the journal attributes to a row: none of them can be
        /// another row's. Asked about a few links, it keeps no set of every row's.
        /// </summary>
        public ISet<string> ClaimedAmong(IEnumerable<string> linkIds)
        {
            var probe = new ClaimProbe(linkIds);
            var claimed = new HashSet<string>(StringComparer.Ordinal);
            lock (_gate)
                foreach (var record in _latest.Values) record.Claims(_pool, probe, claimed);
            return claimed;
        }

        /// <summary>
        /// Appends <paramref name="entry"/> (filling what it lacks from the key's earlier entries) and completes once the
        /// store holds it durably. Entries are queued before this returns and written in the order they were appended: one
        /// is durable only once every entry appended before it is.
        /// </summary>
        public Task AppendAsync(JournalEntry entry)
        {
            entry.At = _now();
            var line = entry.Copy();
            lock (_gate)
            {
                if (_broken != null) return Failed(_broken);
                if (_closing) throw new ObjectDisposedException(nameof(LinkJournal));
                Remember(entry.Copy());
                _queued.Add(line);
                if (_writerThread == null)
                {
                    _writerThread = new Thread(WriteQueued) { IsBackground = true, Name = "FinqLink journal writer" };
                    _writerThread.Start();
                }
                else if (!_writing) Monitor.Pulse(_gate);
                return _queuedDone.Task;
            }
        }

        /// <summary>Every entry appended so far is durable: none is waiting or being written, and no write failed.</summary>
        public bool AllWritten
        {
            get { lock (_gate) return !_writing && _queued.Count == 0 && _broken == null; }
        }

        /// <summary>The API client whose links the journal records; null for a journal no run of this version has opened.</summary>
        public JournalOwner? Owner { get; private set; }

        // Under _gate.
        private void Remember(JournalEntry entry)
        {
            if (entry.Key == JournalOwner.Key)
            {
                Owner = JournalOwner.From(entry) ?? Owner;
                return;
            }
            if (_latest.TryGetValue(entry.Key, out var earlier)) entry.Inherit(earlier.Expand(entry.Key, _pool));
            _latest[entry.Key] = JournalRecord.Of(entry, _pool, _writer);
        }

        /// <summary>
        /// The writer thread: writes what is queued, in batches (every entry queued during a write goes in the next one), and
        /// waits while nothing is, until the journal is disposed.
        /// </summary>
        private void WriteQueued()
        {
            var sinceWrite = new Stopwatch();
            var lastBatch = 0;
            while (true)
            {
                List<JournalEntry> batch;
                TaskCompletionSource<bool> batchDone;
                var gapLeft = GroupCommitGap - sinceWrite.Elapsed;
                if (lastBatch > 1 && gapLeft > TimeSpan.Zero) _pause(gapLeft);
                lock (_gate)
                {
                    _writing = false;
                    while (_queued.Count == 0 && !_closing) Monitor.Wait(_gate);
                    if (_queued.Count == 0 || _broken != null) return;
                    _writing = true;
                    batch = _queued;
                    batchDone = _queuedDone;
                    _queued = new List<JournalEntry>(batch.Count);
                    _queuedDone = NewCompletion();
                }
                lastBatch = batch.Count;
                sinceWrite.Restart();
                try
                {
                    _store.AppendAsync(batch, CancellationToken.None).GetAwaiter().GetResult();
                    batchDone.TrySetResult(true);
                }
                catch (Exception e)
                {
                    var failure = e as JournalWriteException
                                  ?? new JournalWriteException($"{Location} could not be written ({e.Message}); the run stops, because rows it cannot record could be created twice.", e);
                    TaskCompletionSource<bool> waiting;
                    lock (_gate)
                    {
                        _broken = failure;
                        waiting = _queuedDone;
                        _queued = new List<JournalEntry>();
                        _queuedDone = NewCompletion();
                        _writing = false;
                    }
                    batchDone.TrySetException(failure);
                    waiting.TrySetException(failure);
                    return;
                }
            }
        }

        private static TaskCompletionSource<bool> NewCompletion() => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        private static Task Failed(Exception e)
        {
            var failed = new TaskCompletionSource<bool>();
            failed.SetException(e);
            return failed.Task;
        }

        /// <summary>
        /// Lets the writer finish what is queued, then closes the store. A writer still at it after <see cref="WriterGrace"/>
        /// (a store that stopped answering) is not waited for longer: the run is over, and its rows are settled by the next.
        /// </summary>
        public void Dispose()
        {
            Thread? writer;
            lock (_gate)
            {
                _closing = true;
                writer = _writerThread;
                Monitor.PulseAll(_gate);
            }
            writer?.Join(WriterGrace);
            _store.Dispose();
        }
    }
}
