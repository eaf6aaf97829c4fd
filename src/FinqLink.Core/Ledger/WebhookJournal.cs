using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Bulk;
using FinqLink.Webhooks;

namespace FinqLink.Ledger
{
    /// <summary>
    /// Records webhooks in a bulk run's journal for Receive-FinqWebhook -JournalPath: a link status event for one of the
    /// journal's links updates that row (idempotently: a replay, a redelivery or an out-of-order older status changes
    /// nothing), and every webhook taken is remembered by its body's digest, so IsDuplicate holds across restarts.
    /// The journal is held only while one webhook is recorded, never while the listener waits: a re-run of New-FinqLink can
    /// take it between webhooks. Each opening reads only the lines appended since the last (<see cref="IJournalTail"/>),
    /// unless the journal now starts otherwise or is shorter (it was replaced): then it is read whole again. While a run holds it, recording waits
    /// (up to <see cref="WaitWhileInUse"/>), and then fails, so the webhook is answered 503 and FinqLink delivers it again.
    /// </summary>
    public sealed class WebhookJournal : IWebhookDuplicateStore
    {
        private readonly string _location;
        private readonly TimeSpan _window;
        private readonly Func<DateTimeOffset> _now;
        private readonly object _gate = new object();
        private readonly Dictionary<string, DateTimeOffset> _taken = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        private readonly WebhookRows _rows = new WebhookRows();
        private readonly Func<CancellationToken, Task<IJournalStore>> _open;

        public WebhookJournal(string location, TimeSpan duplicateWindow, Func<DateTimeOffset>? now = null)
        {
            _location = location;
            _window = duplicateWindow;
            _now = now ?? (() => DateTimeOffset.UtcNow);
            // Opening checks only what follows the lines read before (for a torn last line), not the whole journal again.
            _open = cancellationToken => JournalStores.OpenAsync(_location, new JournalStoreOptions { WaitWhileInUse = WaitWhileInUse, CheckedUpTo = _rows.Read }, cancellationToken);
        }

        /// <summary>Tests open the journal through a store of their own, to see what is read.</summary>
        internal WebhookJournal(string location, TimeSpan duplicateWindow, Func<CancellationToken, Task<IJournalStore>> open) : this(location, duplicateWindow) =>
            _open = open;

        public TimeSpan WaitWhileInUse { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>Reads the webhooks already taken (opens the journal once; fails as opening fails).</summary>
        public async Task LoadAsync(CancellationToken cancellationToken)
        {
            using var journal = await OpenAsync(cancellationToken).ConfigureAwait(false);
            CatchUp(journal);
        }

        /// <summary>
        /// Records a webhook the pipeline took: the status of a journal link that it moves forward, and its digest.
        /// Answers what it recorded, for -Verbose; null when the event belongs to no journal row.
        /// </summary>
        public async Task<string?> RecordAsync(WebhookEvent webhook, string bodyDigest, CancellationToken cancellationToken)
        {
            if (webhook == null) throw new ArgumentNullException(nameof(webhook));
            using var store = await OpenAsync(cancellationToken).ConfigureAwait(false);
            CatchUp(store);
            string? recorded = null;
            // Written as given, in one durable append; they are read back, like any other line, at the next opening.
            var lines = new List<JournalEntry>();
            if (webhook is LinkStatusUpdate update && update.LinkId != null && _rows.Find(update.LinkId) is JournalEntry row)
            {
                if (LedgerStatuses.Replaces(update.Status, row.Status))
                {
                    lines.Add(JournalLedger.StatusLine(row, update.Status!, webhook.ReceivedAt));
                    recorded = $"{RowKey.Describe(row.Key)}: {row.Status} -> {update.Status}";
                }
                else recorded = $"{RowKey.Describe(row.Key)}: stays {row.Status} ({update.Status} does not replace it)";
            }
            if (_window > TimeSpan.Zero && !WasTaken(bodyDigest))
                lines.Add(new JournalEntry { Key = WebhookKey(bodyDigest), State = JournalState.Webhook, LinkId = (webhook as LinkStatusUpdate)?.LinkId });
            if (lines.Count > 0)
            {
                var at = _now();
                foreach (var line in lines) line.At = at;
                await store.AppendAsync(lines, cancellationToken).ConfigureAwait(false);
            }
            RememberTaken(bodyDigest);
            return recorded;
        }

        public bool WasTaken(string bodyDigest)
        {
            lock (_gate) return _taken.TryGetValue(bodyDigest, out var at) && at > _now() - _window;
        }

        public void RememberTaken(string bodyDigest)
        {
            if (_window <= TimeSpan.Zero) return;
            lock (_gate) _taken[bodyDigest] = _now();
        }

        private static string WebhookKey(string digest) => WebhookRows.WebhookKeyPrefix + digest;

        /// <summary>
        /// Reads what was appended since the last opening (a re-run may have added links, another listener statuses), or
        /// the whole journal when this is the first opening, the store cannot read from an offset, or the journal was replaced.
        /// </summary>
        private void CatchUp(IJournalStore store)
        {
            var since = _now() - _window;
            void Taken(string digest, DateTimeOffset at)
            {
                if (at <= since) return;
                lock (_gate) _taken[digest] = at;
            }
            var tail = store as IJournalTail;
            if (tail != null && _rows.Read > 0 && tail.Length >= _rows.Read && StartsAsBefore(store))
            {
                try
                {
                    foreach (var entry in tail.ReadFrom(_rows.Read)) _rows.Fold(entry, Taken);
                    _rows.Read = tail.Length;
                    return;
                }
                catch (FormatException) { }      // the offset fell inside a line: the journal was rewritten
            }
            _rows.Clear();
            foreach (var entry in store.Read()) _rows.Fold(entry, Taken);
            _rows.Read = tail?.Length ?? 0;
        }

        private bool StartsAsBefore(IJournalStore store)
        {
            foreach (var entry in store.Read()) return _rows.First == (entry.Key, entry.At);
            return false;
        }

        private Task<IJournalStore> OpenAsync(CancellationToken cancellationToken) => _open(cancellationToken);
    }
}
