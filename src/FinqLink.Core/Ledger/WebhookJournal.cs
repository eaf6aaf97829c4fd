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
    /// The journal is held only while one webhook is recorded (milliseconds for thousands of rows), never while the
    /// listener waits: a re-run of New-FinqLink can take it between webhooks. While a run holds it, recording waits
    /// (up to <see cref="WaitWhileInUse"/>), and then fails, so the webhook is answered 503 and FinqLink delivers it again.
    /// </summary>
    public sealed class WebhookJournal : IWebhookDuplicateStore
    {
        private readonly string _location;
        private readonly TimeSpan _window;
        private readonly Func<DateTimeOffset> _now;
        private readonly object _gate = new object();
        private readonly Dictionary<string, DateTimeOffset> _taken = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);

        public WebhookJournal(string location, TimeSpan duplicateWindow, Func<DateTimeOffset>? now = null)
        {
            _location = location;
            _window = duplicateWindow;
            _now = now ?? (() => DateTimeOffset.UtcNow);
        }

        public TimeSpan WaitWhileInUse { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>Reads the webhooks already taken (opens the journal once; fails as opening fails).</summary>
        public async Task LoadAsync(CancellationToken cancellationToken)
        {
            using var journal = await OpenAsync(cancellationToken).ConfigureAwait(false);
            Learn(journal);
        }

        /// <summary>
        /// Records a webhook the pipeline took: the status of a journal link that it moves forward, and its digest.
        /// Answers what it recorded, for -Verbose; null when the event belongs to no journal row.
        /// </summary>
        public async Task<string?> RecordAsync(WebhookEvent webhook, string bodyDigest, CancellationToken cancellationToken)
        {
            if (webhook == null) throw new ArgumentNullException(nameof(webhook));
            using var journal = await OpenAsync(cancellationToken).ConfigureAwait(false);
            Learn(journal);
            string? recorded = null;
            var writes = new List<Task>();
            if (webhook is LinkStatusUpdate update && update.LinkId != null && Find(journal, update.LinkId) is JournalEntry row)
            {
                if (LedgerStatuses.Replaces(update.Status, row.Status))
                {
                    writes.Add(journal.AppendAsync(JournalLedger.StatusLine(row, update.Status!, webhook.ReceivedAt)));
                    recorded = $"{RowKey.Describe(row.Key)}: {row.Status} -> {update.Status}";
                }
                else recorded = $"{RowKey.Describe(row.Key)}: stays {row.Status} ({update.Status} does not replace it)";
            }
            if (_window > TimeSpan.Zero && !WasTaken(bodyDigest))
                writes.Add(journal.AppendAsync(new JournalEntry { Key = WebhookKey(bodyDigest), State = JournalState.Webhook, LinkId = (webhook as LinkStatusUpdate)?.LinkId }));
            await Task.WhenAll(writes).ConfigureAwait(false);
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

        private static string WebhookKey(string digest) => "webhook:" + digest;

        // The journal's rows by link id: read afresh at every opening, since a re-run may have added links meanwhile.
        private static JournalEntry? Find(LinkJournal journal, string linkId)
        {
            foreach (var entry in journal.Entries)
                if (entry.LinkId == linkId && entry.State == JournalState.Created && JournalLedger.IsRow(entry.Key)) return entry;
            return null;
        }

        private void Learn(LinkJournal journal)
        {
            var since = _now() - _window;
            lock (_gate)
                foreach (var entry in journal.Entries)
                    if (entry.State == JournalState.Webhook && entry.At > since && entry.Key.StartsWith("webhook:", StringComparison.Ordinal))
                        _taken[entry.Key.Substring(8)] = entry.At;
        }

        private async Task<LinkJournal> OpenAsync(CancellationToken cancellationToken) =>
            LinkJournal.Over(await JournalStores.OpenAsync(_location, new JournalStoreOptions { WaitWhileInUse = WaitWhileInUse }, cancellationToken).ConfigureAwait(false), _now);
    }
}
