using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace FinqLink.Bulk
{
    public sealed partial class BulkLinkRun
    {
        private readonly List<(RowState Row, TaskCompletionSource<Reconciled> Verdict, DateTimeOffset DueAt)> _uncertain =
            new List<(RowState, TaskCompletionSource<Reconciled>, DateTimeOffset)>();
        private bool _reconciling;

        /// <summary>
        /// Records the unknown outcome and waits for reconciliation, which lists the links once the row's window has closed.
        /// Other rows go on meanwhile: the row keeps its expiry slot, so none of them can be mistaken for it.
        /// </summary>
        private async Task<Reconciled> SettleAsync(RowState state, LinkJournal journal, FinqLinkOutcomeUnknownException unknown, CancellationToken cancellationToken)
        {
            var dropped = unknown.InnerException is FinqLinkTransportException || unknown.InnerException is FinqLinkResponseException;
            var now = _options.Time.GetUtcNow();
            // After a timeout or a dropped connection the server may still be at work: the window stays open a while longer.
            var until = now + (dropped ? _options.DroppedGrace : TimeSpan.Zero);
            await RecordAsync(journal, new JournalEntry
            {
                Key = state.Key, State = JournalState.Unknown, WindowTo = _clock.ToServer(until, until).To, Error = unknown.Message,
            }).ConfigureAwait(false);
            var verdict = new TaskCompletionSource<Reconciled>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                _uncertain.Add((state, verdict, until + _options.SettleDelay));
                if (!_reconciling)
                {
                    _reconciling = true;
                    Task.Run(ReconcileDueRowsAsync, CancellationToken.None);   // owns its own lifetime: settles rows until none are due
                }
            }
            _options.Log?.Verbose($"{state.Describe}: outcome unknown; the links created meanwhile will be listed to settle it.");
            using (cancellationToken.Register(() => verdict.TrySetCanceled()))
                return await verdict.Task.ConfigureAwait(false);
        }

        /// <summary>Settles uncertain rows as their windows close, several at a time when they close together.</summary>
        private async Task ReconcileDueRowsAsync()
        {
            var journal = _journal!;
            while (true)
            {
                DateTimeOffset due;
                lock (_gate)
                {
                    if (_uncertain.Count == 0)
                    {
                        _reconciling = false;
                        return;
                    }
                    due = _uncertain.Min(u => u.DueAt);
                }
                var wait = due - _options.Time.GetUtcNow();
                if (wait > TimeSpan.Zero) await _options.Time.Delay(wait).ConfigureAwait(false);
                List<(RowState Row, TaskCompletionSource<Reconciled> Verdict, DateTimeOffset DueAt)> batch;
                lock (_gate)
                {
                    var now = _options.Time.GetUtcNow();
                    batch = _uncertain.Where(u => u.DueAt <= now).ToList();
                    _uncertain.RemoveAll(u => u.DueAt <= now);
                }
                if (batch.Count > 0) await SettleBatchAsync(journal, batch).ConfigureAwait(false);
            }
        }

        private async Task SettleBatchAsync(LinkJournal journal, List<(RowState Row, TaskCompletionSource<Reconciled> Verdict, DateTimeOffset DueAt)> batch)
        {
            var entries = batch.Select(b => journal.Find(b.Row.Key)!).ToList();
            try
            {
                ISet<string> Claimed()
                {
                    var claimed = journal.ClaimedLinkIds;
                    lock (_gate) claimed.UnionWith(_claimed);
                    return claimed;
                }
                var verdicts = await Task.Run(() => Reconciler.Settle(_client.Links, _slots.HeldExpiries, Claimed, entries, _requests, CancellationToken.None)).ConfigureAwait(false);
                foreach (var result in verdicts)
                {
                    if (result.Link != null) lock (_gate) _claimed.Add(result.Link.LinkId);
                    await RecordAsync(journal, VerdictEntry(result)).ConfigureAwait(false);
                    batch.Single(b => b.Row.Key == result.Entry.Key).Verdict.TrySetResult(result);
                }
            }
            catch (Exception e) when (e is FinqLinkApiException || e is FinqLinkTransportException || e is FinqLinkResponseException)
            {
                // The list could not be read: the rows stay "unknown" in the journal, and a re-run settles them.
                foreach (var (row, verdict, _) in batch)
                    verdict.TrySetException(new BulkRowException(BulkRowProblem.Unfinished,
                        $"{row.Describe}: its outcome is unknown and the links could not be listed to settle it ({e.Message}); run again with the same journal.", e));
            }
        }

        /// <summary>Rows an earlier run left pending (it was killed) or unknown: settled before this run sends anything.</summary>
        private IReadOnlyList<Reconciled> SettlePreviousRun(CancellationToken cancellationToken)
        {
            var journal = _journal!;
            var uncertain = journal.Entries.Where(e => e.State == JournalState.Pending || e.State == JournalState.Unknown).ToList();
            if (uncertain.Count == 0) return Array.Empty<Reconciled>();
            foreach (var entry in uncertain.Where(e => e.WindowTo == null && e.WindowFrom != null))
                // Killed while in flight: the request may have been answered up to a timeout later.
                entry.WindowTo = entry.WindowFrom + _client.Options.Timeout + _options.DroppedGrace;
            var verdicts = Reconciler.Settle(_client.Links, () => new HashSet<long>(), () => journal.ClaimedLinkIds, uncertain, _requests, cancellationToken);
            foreach (var result in verdicts) journal.AppendAsync(VerdictEntry(result)).GetAwaiter().GetResult();
            return verdicts;
        }

        private static JournalEntry VerdictEntry(Reconciled result) => result.Verdict switch
        {
            Verdict.Created => new JournalEntry
            {
                Key = result.Entry.Key, State = JournalState.Created, LinkId = result.Link!.LinkId, WebUrl = result.Link.WebUrl,
                Status = result.Link.Status, ExpiresAt = result.Link.ExpiresAt,
            },
            Verdict.NotCreated => new JournalEntry { Key = result.Entry.Key, State = JournalState.NotCreated, Error = "Reconciled: the server holds no link for this attempt." },
            _ => new JournalEntry
            {
                Key = result.Entry.Key, State = JournalState.Ambiguous, Candidates = result.Candidates,
                Error = "A link may have been created but cannot be told apart from " + string.Join(", ", result.Candidates),
            },
        };

    }
}
