using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using FinqLink.Bulk;
using FinqLink.Models;

namespace FinqLink.Ledger
{
    /// <summary>
    /// A bulk run's journal read as its ledger: one <see cref="LedgerRow"/> per row, in the order the rows came (the run
    /// that first wrote a row, then its place in that run's input). It streams: <see cref="Index"/> reads the journal once
    /// and keeps a small slot per row (<see cref="LedgerIndex"/>); <see cref="Rows"/> reads it again and writes each row
    /// as soon as its lines are read and the rows before it are written, holding only the rows in between (at most
    /// <see cref="Capacity"/>; when more are waiting, the rows past them are left to one more pass). Statuses are brought
    /// up to date by <see cref="LedgerStatusRefresh"/> (recorded in the journal as the rows are written) and by webhooks
    /// (<see cref="WebhookJournal"/>).
    /// </summary>
    public sealed class JournalLedger
    {
        private const int RecordEvery = 256;
        private readonly IJournalStore _store;
        private readonly Func<DateTimeOffset> _now;

        public JournalLedger(IJournalStore store, Func<DateTimeOffset>? now = null)
        {
            _store = store ?? throw new ArgumentNullException(nameof(store));
            _now = now ?? (() => DateTimeOffset.UtcNow);
        }

        /// <summary>Rows read but not yet written that one pass holds at most.</summary>
        public int Capacity { get; set; } = 4096;

        /// <summary>Passes <see cref="Rows"/> made over the journal.</summary>
        public int Passes { get; private set; }

        /// <summary>Set when the statuses learned could not be recorded in the journal (the rows still show them).</summary>
        public Exception? NotRecorded { get; private set; }

        /// <summary>Whether a journal key is an input row (not a webhook or another record the journal keeps).</summary>
        public static bool IsRow(string key) => key.StartsWith("ref:", StringComparison.Ordinal) || key.StartsWith("body:", StringComparison.Ordinal);

        /// <summary>The first pass: each row's place and its link's state.</summary>
        public LedgerIndex Index() => LedgerIndex.Build(_store.Read());

        /// <summary>
        /// The rows in input order, read again from the journal as they are enumerated. Statuses the refresh changed are
        /// appended to the journal as their rows go by, a few hundred lines at a time.
        /// </summary>
        public IEnumerable<LedgerRow> Rows(LedgerIndex index, CancellationToken cancellationToken = default)
        {
            if (index == null) throw new ArgumentNullException(nameof(index));
            var order = index.Order;
            var toRecord = new List<JournalEntry>();
            var next = 0;
            try
            {
                while (next < order.Length)
                {
                    Passes++;
                    var limit = order.Length;
                    var held = new Dictionary<int, JournalEntry>();
                    var ranks = new SortedSet<int>();
                    long number = 0;
                    foreach (var line in _store.Read())
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        number++;
                        if (!IsRow(line.Key) || !(index.Find(line.Key) is LedgerSlot slot) || slot.Rank < next || slot.Rank >= limit) continue;
                        if (held.TryGetValue(slot.Rank, out var earlier)) held[slot.Rank] = line.Inherit(earlier);
                        else
                        {
                            if (held.Count >= Capacity)
                            {
                                // Too many rows waiting for an earlier one: the highest-placed are left to the next pass.
                                var highest = ranks.Max;
                                if (slot.Rank > highest) { limit = slot.Rank; continue; }
                                held.Remove(highest);
                                ranks.Remove(highest);
                                limit = highest;
                            }
                            held[slot.Rank] = line;
                            ranks.Add(slot.Rank);
                        }
                        while (next < limit && order[next].LastContent <= number && held.TryGetValue(next, out var whole))
                        {
                            held.Remove(next);
                            ranks.Remove(next);
                            yield return Emit(order[next++], whole, toRecord);
                            if (toRecord.Count >= RecordEvery) Record(toRecord, cancellationToken);
                        }
                    }
                    // Every line was read: the rows still held are whole.
                    while (next < limit && held.TryGetValue(next, out var whole)) yield return Emit(order[next++], whole, toRecord);
                    if (next < limit) throw new InvalidOperationException($"{_store.Location} changed while it was read: row {next + 1} was not found again.");
                }
            }
            finally { Record(toRecord, cancellationToken); }
        }

        private LedgerRow Emit(LedgerSlot slot, JournalEntry entry, List<JournalEntry> toRecord)
        {
            entry.Status = slot.Status;
            entry.StatusAt = slot.StatusAt;
            entry.ExpiresAt = slot.ExpiresAt;
            if (slot.Changed && slot.Status != null)
            {
                toRecord.Add(StatusLine(entry, slot.Status, slot.StatusAt ?? _now()));
                slot.Changed = false;
            }
            return Row(entry);
        }

        private void Record(List<JournalEntry> lines, CancellationToken cancellationToken)
        {
            if (lines.Count == 0) return;
            try
            {
                if (NotRecorded == null)
                {
                    var at = _now();
                    foreach (var line in lines) line.At = at;
                    _store.AppendAsync(lines.ToList(), cancellationToken).GetAwaiter().GetResult();
                }
            }
            catch (Exception e) when (e is JournalWriteException || e is System.IO.IOException || e is OperationCanceledException)
            {
                NotRecorded ??= e;
            }
            finally { lines.Clear(); }
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
