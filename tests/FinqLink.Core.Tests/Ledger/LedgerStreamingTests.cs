using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Bulk;
using FinqLink.Ledger;
using Xunit;

namespace FinqLink.Core.Tests.Ledger;

/// <summary>
/// The ledger streams: it keeps a small slot per row, never the journal's lines, and writes each row while it reads on.
/// The journal here is made up as it is read (nothing holds its lines), so what the ledger keeps is all that is kept.
/// </summary>
[Collection(MemoryMeasurement.Name)]
public sealed class LedgerStreamingTests
{
    private static readonly DateTimeOffset Run = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_rows_pass_writes_the_first_row_before_reading_the_rest()
    {
        var store = new MadeUpJournal(10_000);
        var ledger = new JournalLedger(store);
        var index = ledger.Index();

        using var rows = ledger.Rows(index).GetEnumerator();
        Assert.True(rows.MoveNext());

        Assert.Equal("INV-1", rows.Current.Reference);
        Assert.True(store.ReadThisPass <= 3, $"{store.ReadThisPass} lines were read before the first row was written");
    }

    [Fact]
    public void What_the_ledger_holds_stays_far_below_the_journals_lines()
    {
        const int count = 50_000;
        var store = new MadeUpJournal(count);
        var ledger = new JournalLedger(store);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var index = ledger.Index();
        long held = 0, written = 0;
        foreach (var row in ledger.Rows(index))
            if (++written == count / 2) held = GC.GetTotalMemory(forceFullCollection: true) - before;
        GC.KeepAlive(index);

        Assert.Equal(count, written);
        // A slot per row is about 250 bytes; the journal's lines, read into entries, take well over 2,000 bytes a row.
        Assert.True(held < 450L * count, $"{held / count} bytes held per row halfway through");
    }

    [Fact]
    public void Rows_come_in_input_order_however_far_apart_their_lines_are_and_however_few_a_pass_may_hold()
    {
        // Rows 1..40, sent several at a time (row 2 before row 1), row 5 settled only at the end (a later run created it).
        var lines = new List<JournalEntry>();
        for (var row = 1; row <= 40; row++) lines.Add(MadeUpJournal.Pending(row == 1 ? 2 : row == 2 ? 1 : row));
        for (var row = 1; row <= 40; row++)
            if (row != 5) lines.Add(MadeUpJournal.Created(row));
        lines.Add(new JournalEntry { Key = "webhook:x", State = JournalState.Webhook });
        lines.Add(MadeUpJournal.Created(5));
        lines.Add(new JournalEntry { Key = "ref:INV-7", State = JournalState.Created, LinkId = "link-7", Status = "completed", StatusAt = Run.AddHours(1), ExpiresAt = Run.AddDays(1) });

        var wide = new JournalLedger(new MadeUpJournal(lines));
        var all = wide.Rows(wide.Index()).ToList();
        var narrow = new JournalLedger(new MadeUpJournal(lines)) { Capacity = 3 };
        var few = narrow.Rows(narrow.Index()).ToList();

        Assert.Equal(Enumerable.Range(1, 40).Select(i => "INV-" + i), all.Select(r => r.Reference));
        Assert.Equal(1, wide.Passes);
        Assert.True(narrow.Passes > 1);
        Assert.Equal(all.Select(r => (r.Reference, r.Amount, r.LinkId, r.WebUrl, r.Status, r.ExpiresAt)), few.Select(r => (r.Reference, r.Amount, r.LinkId, r.WebUrl, r.Status, r.ExpiresAt)));
        Assert.Equal(("link-5", "created"), (all[4].LinkId, all[4].Status));
        Assert.Equal(("completed", "https://pay.example/l/link-7"), (all[6].Status, all[6].WebUrl));
        Assert.Equal(7.07m, all[6].Amount);
    }

    /// <summary>A journal made up line by line as it is read: a pending and a created line per row.</summary>
    private sealed class MadeUpJournal : IJournalStore
    {
        private readonly int _rows;
        private readonly IReadOnlyList<JournalEntry>? _lines;
        private readonly List<JournalEntry> _appended = new();

        public MadeUpJournal(int rows) => _rows = rows;

        public MadeUpJournal(IReadOnlyList<JournalEntry> lines) => _lines = lines;

        public int ReadThisPass { get; private set; }
        public string Location => "made up";
        public string? Repaired => null;

        public static JournalEntry Pending(int row) => new()
        {
            Key = "ref:INV-" + row.ToString(CultureInfo.InvariantCulture), State = JournalState.Pending, Reference = "INV-" + row.ToString(CultureInfo.InvariantCulture),
            Fingerprint = new() { [RowFingerprint.AmountPart] = (row + row / 100m).ToString("0.00", CultureInfo.InvariantCulture), [RowFingerprint.CurrencyPart] = "RON" },
            RemittanceInformation = "Invoice " + row.ToString(CultureInfo.InvariantCulture), Run = Run, Row = row, ExpiresInSeconds = 3600, WindowFrom = Run.AddSeconds(row),
        };

        public static JournalEntry Created(int row) => new()
        {
            Key = "ref:INV-" + row.ToString(CultureInfo.InvariantCulture), State = JournalState.Created, LinkId = "link-" + row.ToString(CultureInfo.InvariantCulture),
            WebUrl = "https://pay.example/l/link-" + row.ToString(CultureInfo.InvariantCulture), Status = "created", ExpiresAt = Run.AddSeconds(row + 3600),
        };

        public IEnumerable<JournalEntry> Read()
        {
            ReadThisPass = 0;
            foreach (var line in Lines())
            {
                ReadThisPass++;
                yield return line;
            }
        }

        private IEnumerable<JournalEntry> Lines()
        {
            if (_lines != null)
                foreach (var line in _lines) yield return line.Copy();
            for (var row = 1; row <= _rows; row++)
            {
                yield return Pending(row);
                yield return Created(row);
            }
            foreach (var line in _appended) yield return line.Copy();
        }

        public Task AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken)
        {
            _appended.AddRange(entries);
            return Task.CompletedTask;
        }

        public void Dispose() { }
    }
}
