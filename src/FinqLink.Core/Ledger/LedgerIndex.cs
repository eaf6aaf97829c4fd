using System;
using System.Collections.Generic;
using System.Linq;
using FinqLink.Bulk;
using FinqLink.Models;

namespace FinqLink.Ledger
{
    /// <summary>
    /// What one pass over a journal keeps of each row, so the ledger can list statuses and then emit rows in input order
    /// from a second pass: where the row stands in the input, which line last changed more than its status, and its link's
    /// state and status. Not the row's invoice (reference, amount, ...): the second pass reads that again. About 250 bytes
    /// a row, against several kilobytes for the journal's lines.
    /// </summary>
    public sealed class LedgerIndex
    {
        private readonly Dictionary<string, LedgerSlot> _slots = new Dictionary<string, LedgerSlot>(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _words = new Dictionary<string, string>(StringComparer.Ordinal);

        private LedgerIndex() { }

        /// <summary>The rows in input order (the run that first wrote a row, then its place in that run's input).</summary>
        internal LedgerSlot[] Order { get; private set; } = Array.Empty<LedgerSlot>();

        public int Rows => Order.Length;

        /// <summary>Reads <paramref name="lines"/> once (the journal's lines, oldest first), keeping only each row's slot.</summary>
        public static LedgerIndex Build(IEnumerable<JournalEntry> lines)
        {
            var index = new LedgerIndex();
            long number = 0;
            foreach (var line in lines)
            {
                number++;
                if (!JournalLedger.IsRow(line.Key)) continue;
                if (!index._slots.TryGetValue(line.Key, out var slot)) index._slots[line.Key] = slot = new LedgerSlot(index._slots.Count);
                slot.Read(line, number, index.Word);
            }
            var runs = new Dictionary<long, int>();
            foreach (var slot in index._slots.Values)
                if (slot.RunTicks != 0 && !runs.ContainsKey(slot.RunTicks)) runs[slot.RunTicks] = runs.Count;
            // Sorted in place (no sort keys held beside it): by run, then place in the run's input, then first appearance.
            index.Order = index._slots.Values.ToArray();
            Array.Sort(index.Order, (a, b) =>
            {
                var byRun = (a.RunTicks != 0 ? runs[a.RunTicks] : -1).CompareTo(b.RunTicks != 0 ? runs[b.RunTicks] : -1);
                if (byRun != 0) return byRun;
                var byRow = a.Row.CompareTo(b.Row);
                return byRow != 0 ? byRow : a.Seen.CompareTo(b.Seen);
            });
            for (var rank = 0; rank < index.Order.Length; rank++) index.Order[rank].Rank = rank;
            return index;
        }

        internal LedgerSlot? Find(string key) => _slots.TryGetValue(key, out var slot) ? slot : null;

        /// <summary>Rows whose link may still change status: the ones a listing is asked about.</summary>
        internal IEnumerable<LedgerSlot> OpenLinks => Order.Where(s => s.HasLink && !LinkStatuses.IsTerminal(s.Status));

        private string? Word(string? text)
        {
            if (text == null) return null;
            if (_words.TryGetValue(text, out var held)) return held;
            return _words.Count < 256 ? _words[text] = text : text;
        }
    }

    /// <summary>One row of a <see cref="LedgerIndex"/>: its place, and its link's latest state (the last line wins, as in the journal).</summary>
    internal sealed class LedgerSlot
    {
        public LedgerSlot(int seen) => Seen = seen;

        public int Seen { get; }
        public int Rank { get; set; }
        public long RunTicks { get; private set; }
        public long Row { get; private set; } = long.MaxValue;
        /// <summary>The number of the last line that changed more than the link's status: the row is whole once it is read.</summary>
        public long LastContent { get; private set; }
        public string State { get; private set; } = JournalState.Pending;
        /// <summary>The link id of the row's last line that said more than a status.</summary>
        public LinkKey? Link { get; private set; }
        public string? Status { get; set; }
        // Times as UTC ticks (0: none) and seconds (-1: none): a slot stays near 100 bytes.
        private long _statusAt, _expiresAt, _windowFrom, _expiresIn = -1;

        public DateTimeOffset? StatusAt { get => Time(_statusAt); set => _statusAt = Ticks(value); }
        public DateTimeOffset? ExpiresAt { get => Time(_expiresAt); set => _expiresAt = Ticks(value); }

        /// <summary>The refresh learned a status the journal does not hold yet.</summary>
        public bool Changed { get; set; }

        public bool HasLink => State == JournalState.Created && Link != null;

        /// <summary>When the link was created, by the server's clock, as near as the journal tells.</summary>
        public DateTimeOffset? CreatedAt =>
            _expiresAt != 0 && _expiresIn >= 0 ? Time(_expiresAt)!.Value.AddSeconds(-_expiresIn) : Time(_windowFrom);

        public void Read(JournalEntry line, long number, Func<string?, string?> word)
        {
            if (line.Run is DateTimeOffset run) RunTicks = run.UtcTicks;
            if (line.Row is long row) Row = row;
            if (line.ExpiresInSeconds is long seconds) _expiresIn = seconds;
            if (line.WindowFrom is DateTimeOffset from) _windowFrom = from.UtcTicks;
            var link = LinkKey.Of(line.LinkId);
            if (!IsStatusOnly(line, link))
            {
                LastContent = number;
                State = word(line.State)!;
                Link = link;
            }
            Status = word(line.Status);
            StatusAt = line.StatusAt;
            ExpiresAt = line.ExpiresAt;
        }

        private static long Ticks(DateTimeOffset? at) => at?.UtcTicks ?? 0;

        private static DateTimeOffset? Time(long ticks) => ticks == 0 ? (DateTimeOffset?)null : new DateTimeOffset(ticks, TimeSpan.Zero);

        /// <summary>A line that only tells the row's link's status (a listing's or a webhook's): the row's other columns stay.</summary>
        private bool IsStatusOnly(JournalEntry line, LinkKey? link) =>
            line.State == JournalState.Created && HasLink && link != null && link.Value.Equals(Link!.Value)
            && line.Fingerprint == null && line.ExpiresInSeconds == null && line.BaseExpiresInSeconds == null && line.Lane == null
            && line.WindowFrom == null && line.WindowTo == null && line.Attempt == null && line.Superseded == null && line.Error == null
            && line.Candidates == null && line.Reference == null && line.RemittanceInformation == null && line.Run == null && line.Row == null;
    }
}
