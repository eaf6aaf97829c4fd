using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Models;

namespace FinqLink.Bulk
{
    /// <summary>
    /// Settles the rows of a run whose create had an unknown outcome, once each row's window has closed (and the settle
    /// delay passed): rows due together are settled with one listing (<see cref="Reconciler"/>), and each verdict is
    /// journaled before the row hears it. Also settles what an earlier run left uncertain, before anything is sent.
    /// </summary>
    internal sealed class Reconciliation
    {
        private readonly ILinkWindow _links;
        private readonly LinkJournal _journal;
        private readonly Func<ISet<long>> _held;
        private readonly ClaimedLinks _claimed;
        private readonly TimeProvider _time;
        private readonly Func<JournalEntry, Task> _record;
        // Guards the rows waiting for their window to close, and whether a task is settling them.
        private readonly object _gate = new object();
        private readonly List<Waiting> _waiting = new List<Waiting>();
        private bool _settling;

        /// <param name="held">The expires_in of the slots this run's rows hold (see <see cref="ISlotRegistry.HeldExpiries"/>).</param>
        /// <param name="record">Journals a verdict; a write that fails stops the run but not the verdict.</param>
        public Reconciliation(ILinkWindow links, LinkJournal journal, Func<ISet<long>> held, ClaimedLinks claimed, TimeProvider time, Func<JournalEntry, Task> record)
        {
            _links = links;
            _journal = journal;
            _held = held;
            _claimed = claimed;
            _time = time;
            _record = record;
        }

        /// <summary>The verdict for the row journaled under <paramref name="key"/>, once <paramref name="dueAt"/> (this machine's clock) has passed.</summary>
        /// <exception cref="BulkRowException">The links could not be listed: the row stays unknown in the journal.</exception>
        public async Task<Reconciled> SettleAsync(string key, string describe, DateTimeOffset dueAt, CancellationToken cancellationToken)
        {
            var verdict = new TaskCompletionSource<Reconciled>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                _waiting.Add(new Waiting(key, describe, verdict, dueAt));
                if (!_settling)
                {
                    _settling = true;
                    Task.Run(SettleDueRowsAsync, CancellationToken.None);   // owns its own lifetime: settles rows until none are due
                }
            }
            using (cancellationToken.Register(() => verdict.TrySetCanceled()))
                return await verdict.Task.ConfigureAwait(false);
        }

        private async Task SettleDueRowsAsync()
        {
            while (true)
            {
                DateTimeOffset due;
                lock (_gate)
                {
                    if (_waiting.Count == 0)
                    {
                        _settling = false;
                        return;
                    }
                    due = _waiting.Min(u => u.DueAt);
                }
                var wait = due - _time.GetUtcNow();
                if (wait > TimeSpan.Zero) await _time.Delay(wait).ConfigureAwait(false);
                List<Waiting> batch;
                lock (_gate)
                {
                    var now = _time.GetUtcNow();
                    batch = _waiting.Where(u => u.DueAt <= now).ToList();
                    _waiting.RemoveAll(u => u.DueAt <= now);
                }
                if (batch.Count > 0) await SettleBatchAsync(batch).ConfigureAwait(false);
            }
        }

        private async Task SettleBatchAsync(List<Waiting> batch)
        {
            var entries = batch.Select(b => _journal.Find(b.Key)!).ToList();
            try
            {
                var verdicts = await Task.Run(() => Reconciler.Settle(_links, _held, ids => _claimed.AddAmong(ids, _journal.ClaimedAmong(ids)), entries, CancellationToken.None)).ConfigureAwait(false);
                foreach (var result in verdicts)
                {
                    if (result.Link != null) _claimed.Add(result.Link.LinkId);
                    await _record(VerdictEntry(result)).ConfigureAwait(false);
                    batch.Single(b => b.Key == result.Entry.Key).Verdict.TrySetResult(result);
                }
            }
            catch (Exception e) when (e is FinqLinkApiException || e is FinqLinkTransportException || e is FinqLinkResponseException)
            {
                // The list could not be read: the rows stay "unknown" in the journal, and a re-run settles them.
                foreach (var row in batch)
                    row.Verdict.TrySetException(new BulkRowException(BulkRowProblem.Unfinished,
                        $"{row.Describe}: its outcome is unknown and the links could not be listed to settle it ({e.Message}); run again with the same journal.", e));
            }
        }

        /// <summary>
        /// Rows an earlier run left pending (it was killed) or unknown: settled, and journaled, before this run sends anything.
        /// Rows it left ambiguous are settled again, now that the links other rows of this journal, and of the other journals
        /// <paramref name="others"/> can read, are known: a candidate they attribute to their row is not this row's.
        /// </summary>
        /// <param name="inFlightFor">How long after a row's window opened the server may have acted on it: the request timeout plus the grace after a drop (for journals written before the window's end was journaled).</param>
        public static IReadOnlyList<Reconciled> SettlePreviousRun(LinkJournal journal, ILinkWindow links, TimeSpan inFlightFor, IOtherJournals? others, CancellationToken cancellationToken)
        {
            var uncertain = journal.Entries.Where(e => e.State == JournalState.Pending || e.State == JournalState.Unknown
                                                       || (e.State == JournalState.Ambiguous && e.WindowFrom != null && e.ExpiresInSeconds != null)).ToList();
            if (uncertain.Count == 0) return Array.Empty<Reconciled>();
            foreach (var entry in uncertain.Where(e => e.WindowTo == null && e.WindowFrom != null))
                // Killed while in flight: the request may have been answered up to a timeout later.
                entry.WindowTo = entry.WindowFrom + inFlightFor;
            ISet<string> Claimed(IReadOnlyList<string> listed)
            {
                var claimed = journal.ClaimedAmong(listed);
                if (others != null && uncertain.Any(e => e.State == JournalState.Ambiguous)) claimed.UnionWith(OtherJournalClaims.LinksClaimed(others, journal, cancellationToken));
                return claimed;
            }
            var verdicts = Reconciler.Settle(links, () => new HashSet<long>(), Claimed, uncertain, cancellationToken);
            var changed = verdicts.Where(v => !(v.Entry.State == JournalState.Ambiguous && v.Verdict == Verdict.Ambiguous
                                               && v.Candidates.OrderBy(c => c, StringComparer.Ordinal).SequenceEqual((v.Entry.Candidates ?? Array.Empty<string>()).OrderBy(c => c, StringComparer.Ordinal)))).ToList();
            foreach (var result in changed) journal.AppendAsync(VerdictEntry(result)).GetAwaiter().GetResult();
            return changed;
        }

        private static JournalEntry VerdictEntry(Reconciled result) => result.Verdict switch
        {
            Verdict.Created => Created(result.Entry.Key, result.Link!),
            Verdict.NotCreated => new JournalEntry { Key = result.Entry.Key, State = JournalState.NotCreated, Error = "Reconciled: the server holds no link for this attempt." },
            _ => new JournalEntry
            {
                Key = result.Entry.Key, State = JournalState.Ambiguous, Candidates = result.Candidates,
                Error = "A link may have been created but cannot be told apart from " + string.Join(", ", result.Candidates),
            },
        };

        public static JournalEntry Created(string key, PaymentLink link) => new JournalEntry
        {
            Key = key, State = JournalState.Created, LinkId = link.LinkId, WebUrl = link.WebUrl, Status = link.Status, ExpiresAt = link.ExpiresAt,
            CreatedAt = link.CreatedAt,
        };

        private sealed class Waiting
        {
            public Waiting(string key, string describe, TaskCompletionSource<Reconciled> verdict, DateTimeOffset dueAt)
            {
                Key = key;
                Describe = describe;
                Verdict = verdict;
                DueAt = dueAt;
            }

            public string Key { get; }
            public string Describe { get; }
            public TaskCompletionSource<Reconciled> Verdict { get; }
            public DateTimeOffset DueAt { get; }
        }
    }
}
