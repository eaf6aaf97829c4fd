using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using FinqLink.Bulk;
using FinqLink.Models;

namespace FinqLink.Ledger
{
    /// <summary>
    /// A bulk run's journal read as its ledger: one <see cref="LedgerRow"/> per row, in the order the rows came (the run
    /// that first wrote a row, then its place in that run's input). Reads only what the journal holds; statuses are
    /// brought up to date by <see cref="LedgerStatusRefresh"/> and by webhooks (<see cref="WebhookJournal"/>).
    /// </summary>
    public sealed class JournalLedger
    {
        private readonly LinkJournal _journal;

        public JournalLedger(LinkJournal journal) => _journal = journal ?? throw new ArgumentNullException(nameof(journal));

        /// <summary>Whether a journal key is an input row (not a webhook or another record the journal keeps).</summary>
        public static bool IsRow(string key) => key.StartsWith("ref:", StringComparison.Ordinal) || key.StartsWith("body:", StringComparison.Ordinal);

        /// <summary>The rows' latest entries, in input order. Holds references to the journal's own entries, nothing more.</summary>
        public IReadOnlyList<JournalEntry> Ordered()
        {
            var rows = _journal.Entries.Where(e => IsRow(e.Key)).ToList();
            var runs = new Dictionary<DateTimeOffset, int>();
            foreach (var entry in rows)
                if (entry.Run is DateTimeOffset run && !runs.ContainsKey(run)) runs[run] = runs.Count;
            // Entries are in the order their keys first appeared; a stable sort keeps it for rows written before runs were noted.
            return rows.Select((entry, seen) => (entry, seen))
                .OrderBy(r => r.entry.Run is DateTimeOffset run ? runs[run] : -1)
                .ThenBy(r => r.entry.Row ?? long.MaxValue)
                .ThenBy(r => r.seen)
                .Select(r => r.entry).ToList();
        }

        /// <summary>The ledger line of one journal row.</summary>
        public static LedgerRow Row(JournalEntry entry)
        {
            var hasLink = entry.State == JournalState.Created && entry.LinkId != null;
            string? part(string name) => entry.Fingerprint != null && entry.Fingerprint.TryGetValue(name, out var v) && v.Length > 0 ? v : null;
            return new LedgerRow
            {
                Reference = entry.Reference ?? (entry.Key.StartsWith("ref:", StringComparison.Ordinal) ? entry.Key.Substring(4) : null),
                Amount = part(RowFingerprint.AmountPart) is string amount && decimal.TryParse(amount, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ? value : (decimal?)null,
                Currency = part(RowFingerprint.CurrencyPart),
                RemittanceInformation = entry.RemittanceInformation,
                LinkId = hasLink ? entry.LinkId : null,
                WebUrl = hasLink ? entry.WebUrl : null,
                ExpiresAt = hasLink ? entry.ExpiresAt : null,
                Status = hasLink ? entry.Status : null,
                StatusChangedAt = !hasLink ? null : entry.StatusAt ?? (entry.Status == LinkStatuses.Created ? CreatedAt(entry) : null),
                Problem = hasLink ? null : Why(entry),
            };
        }

        /// <summary>When the row's link was created, by the server's clock, as near as the journal tells.</summary>
        internal static DateTimeOffset? CreatedAt(JournalEntry entry) =>
            entry.ExpiresAt is DateTimeOffset expires && entry.ExpiresInSeconds is long seconds ? expires.AddSeconds(-seconds) : entry.WindowFrom;

        /// <summary>A line recording that the row's link has <paramref name="status"/> (and the API's expiry and URL, when given).</summary>
        internal static JournalEntry StatusLine(JournalEntry latest, string status, DateTimeOffset at, PaymentLink? link = null) => new JournalEntry
        {
            Key = latest.Key, State = JournalState.Created, LinkId = latest.LinkId, WebUrl = link?.WebUrl ?? latest.WebUrl,
            ExpiresAt = link?.ExpiresAt ?? latest.ExpiresAt, Status = status, StatusAt = at,
        };

        private static string Why(JournalEntry entry) => entry.State switch
        {
            JournalState.Refused => "Refused: " + entry.Error,
            JournalState.NotCreated => entry.Error ?? "Not created.",
            JournalState.Ambiguous => entry.Error ?? "A link may exist but cannot be told apart: " + string.Join(", ", entry.Candidates ?? Array.Empty<string>()),
            JournalState.Created => "Created, but the journal holds no link id.",
            _ => "Sent, outcome not settled yet: run New-FinqLink again with this journal to settle it." + (entry.Error != null ? " (" + entry.Error + ")" : ""),
        };
    }
}
