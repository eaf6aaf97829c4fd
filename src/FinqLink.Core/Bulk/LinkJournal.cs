using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace FinqLink.Bulk
{
    /// <summary>
    /// The record of a bulk run, over a store that keeps it (<see cref="IJournalStore"/>): one entry per state change,
    /// durable before the step it records happens. Knows each row's latest state (the last entry of a key wins; fields it
    /// lacks come from earlier ones). Concurrent rows share one write (group commit). A failed write fails it and every
    /// later append: the run must stop.
    /// </summary>
    public sealed class LinkJournal : IDisposable
    {
        private readonly IJournalStore _store;
        private readonly Func<DateTimeOffset> _now;
        // Guards the latest entries and the queue of entries waiting for the next write.
        private readonly object _gate = new object();
        private readonly Dictionary<string, JournalEntry> _latest = new Dictionary<string, JournalEntry>(StringComparer.Ordinal);
        private List<(JournalEntry Entry, TaskCompletionSource<bool> Done)> _queued = new List<(JournalEntry, TaskCompletionSource<bool>)>();
        private bool _writing;
        private Exception? _broken;

        private LinkJournal(IJournalStore store, Func<DateTimeOffset> now)
        {
            _store = store;
            _now = now;
            foreach (var entry in store.Loaded) _latest[entry.Key] = entry.Copy().Inherit(_latest.TryGetValue(entry.Key, out var earlier) ? earlier : null);
        }

        /// <summary>A journal over an opened store; disposing the journal disposes the store.</summary>
        public static LinkJournal Over(IJournalStore store, Func<DateTimeOffset>? now = null) => new LinkJournal(store, now ?? (() => DateTimeOffset.UtcNow));

        /// <summary>Set when opening cut off a torn last line: what was removed, for the user.</summary>
        public string? Repaired => _store.Repaired;

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
        /// Appends <paramref name="entry"/> (filling what it lacks from the key's earlier entries) and completes once the
        /// store holds it durably.
        /// </summary>
        public Task AppendAsync(JournalEntry entry)
        {
            entry.At = _now();
            var line = entry.Copy();
            var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                if (_broken != null) return Failed(_broken);
                _latest.TryGetValue(entry.Key, out var earlier);
                _latest[entry.Key] = entry.Copy().Inherit(earlier);
                _queued.Add((line, done));
                if (_writing) return done.Task;
                _writing = true;
            }
            Task.Run(WriteQueuedAsync);
            return done.Task;
        }

        private async Task WriteQueuedAsync()
        {
            while (true)
            {
                List<(JournalEntry Entry, TaskCompletionSource<bool> Done)> batch;
                lock (_gate)
                {
                    if (_queued.Count == 0) { _writing = false; return; }
                    batch = _queued;
                    _queued = new List<(JournalEntry, TaskCompletionSource<bool>)>();
                }
                try
                {
                    await _store.AppendAsync(batch.Select(b => b.Entry).ToList(), CancellationToken.None).ConfigureAwait(false);
                    foreach (var (_, done) in batch) done.TrySetResult(true);
                }
                catch (Exception e)
                {
                    var failure = e as JournalWriteException
                                  ?? new JournalWriteException($"{_store.Location} could not be written ({e.Message}); the run stops, because rows it cannot record could be created twice.", e);
                    List<(JournalEntry, TaskCompletionSource<bool> Done)> waiting;
                    lock (_gate)
                    {
                        _broken = failure;
                        waiting = _queued;
                        _queued = new List<(JournalEntry, TaskCompletionSource<bool>)>();
                        _writing = false;
                    }
                    foreach (var (_, done) in batch.Concat(waiting)) done.TrySetException(failure);
                    return;
                }
            }
        }

        private static Task Failed(Exception e)
        {
            var failed = new TaskCompletionSource<bool>();
            failed.SetException(e);
            return failed.Task;
        }

        public void Dispose() => _store.Dispose();
    }
}
