using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using FinqLink.Bulk;
using FinqLink.Ledger;
using FinqLink.Webhooks;
using Xunit;

namespace FinqLink.Core.Tests.Ledger;

/// <summary>The journal read as a ledger: order, rows, totals, windows, and what a late webhook may change.</summary>
public sealed class JournalLedgerTests : IDisposable
{
    internal static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    internal static readonly DateTimeOffset RunA = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero), RunB = RunA.AddDays(1);
    private readonly string _folder = Directory.CreateTempSubdirectory("finqlink-ledger-").FullName;

    private string Path => System.IO.Path.Combine(_folder, "run.journal");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    internal static JournalEntry Pending(string reference, DateTimeOffset run, long row, string amount) => new()
    {
        Key = "ref:" + reference.ToUpperInvariant(), State = JournalState.Pending, Reference = reference, Run = run, Row = row,
        Fingerprint = new() { [RowFingerprint.AmountPart] = amount, [RowFingerprint.CurrencyPart] = "RON" },
        WindowFrom = run.AddSeconds(row), ExpiresInSeconds = 3600,
    };

    internal static JournalEntry Created(string reference, string linkId, DateTimeOffset createdAt, string status = "created") => new()
    {
        Key = "ref:" + reference.ToUpperInvariant(), State = JournalState.Created, LinkId = linkId, Status = status, ExpiresAt = createdAt.AddSeconds(3600),
    };

    [Fact]
    public async Task Rows_come_in_input_order_by_run_whatever_order_their_lines_were_written_in()
    {
        using var journal = LinkJournal.Over(FileJournalStore.Open(Path));
        // Row 2 of run A was sent before row 1 (rows go out several at a time); run B came a day later.
        foreach (var entry in new[] { Pending("a-2", RunA, 2, "2.00"), Pending("a-1", RunA, 1, "1.50"), Pending("b-1", RunB, 1, "3.00") })
            await journal.AppendAsync(entry).WaitAsync(Deadline);
        await journal.AppendAsync(new JournalEntry { Key = "webhook:abc", State = JournalState.Webhook }).WaitAsync(Deadline);

        journal.Dispose();
        using var store = FileJournalStore.Open(Path);
        var ledger = new JournalLedger(store);
        var ordered = ledger.Rows(ledger.Index()).ToList();

        Assert.Equal(new[] { "a-1", "a-2", "b-1" }, ordered.Select(r => r.Reference));
    }

    [Fact]
    public async Task A_row_keeps_its_invoice_as_written_and_a_row_without_a_link_says_why()
    {
        using var journal = LinkJournal.Over(FileJournalStore.Open(Path));
        await journal.AppendAsync(Pending("Inv-7", RunA, 1, "1250.50")).WaitAsync(Deadline);
        await journal.AppendAsync(Created("Inv-7", "L-7", RunA)).WaitAsync(Deadline);
        await journal.AppendAsync(new JournalEntry { Key = "ref:BAD", State = JournalState.Refused, Reference = "bad", Run = RunA, Row = 2, Error = "amount: '12,50' is not an amount" }).WaitAsync(Deadline);

        journal.Dispose();
        using var store = FileJournalStore.Open(Path);
        var ledger = new JournalLedger(store);
        var rows = ledger.Rows(ledger.Index()).ToList();

        Assert.Equal("Inv-7", rows[0].Reference);
        Assert.Equal(1250.50m, rows[0].Amount);
        Assert.Equal("1250.50", rows[0].Amount!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("L-7", rows[0].LinkId);
        Assert.Null(rows[0].Problem);
        Assert.Null(rows[1].LinkId);
        Assert.Equal("Refused: amount: '12,50' is not an amount", rows[1].Problem);
    }

    [Fact]
    public void Totals_sum_money_as_decimal_per_currency()
    {
        var now = RunA.AddMinutes(5);
        var summary = new LedgerSummary(now);
        summary.Add(new LedgerRow { Currency = "RON", Amount = 0.10m, LinkId = "1", Status = "completed" });
        summary.Add(new LedgerRow { Currency = "RON", Amount = 0.20m, LinkId = "2", Status = "funds_received" });
        summary.Add(new LedgerRow { Currency = "RON", Amount = 5m, LinkId = "3", Status = "created", ExpiresAt = now.AddHours(1) });
        summary.Add(new LedgerRow { Currency = "RON", Amount = 7m, LinkId = "4", Status = "started", ExpiresAt = now.AddHours(-1) });
        summary.Add(new LedgerRow { Currency = "RON", Amount = 9m, LinkId = "5", Status = "funds_rejected" });
        summary.Add(new LedgerRow { Currency = "EUR", Amount = 1m, Problem = "Refused" });

        var ron = summary.Totals.Single(t => t.Currency == "RON");
        Assert.Equal((5L, 5L, 2L, 0.30m, 1L, 5m, 1L, 1L), (ron.Rows, ron.Links, ron.Paid, ron.AmountPaid, ron.Open, ron.AmountOpen, ron.Expired, ron.Failed));
        var eur = summary.Totals.Single(t => t.Currency == "EUR");
        Assert.Equal((1L, 0L), (eur.Rows, eur.Links));
    }

    [Theory]
    [InlineData("completed", "started", true)]
    [InlineData("started", "completed", false)]
    [InlineData("funds_received", "completed", true)]
    [InlineData("failed", "completed", false)]
    [InlineData("completed", "failed", false)]
    [InlineData("failed", "awaiting_authz", true)]
    [InlineData("created", "created", false)]
    [InlineData("started", null, true)]
    public void A_late_webhook_never_moves_a_link_back(string next, string? known, bool replaces) =>
        Assert.Equal(replaces, LedgerStatuses.Replaces(next, known));

    [Fact]
    public void Links_created_hours_apart_are_listed_in_separate_windows_of_whole_seconds()
    {
        var times = new[] { RunA.AddMilliseconds(400), RunA.AddMinutes(10), RunA.AddHours(5).AddMilliseconds(700) };

        var windows = LedgerStatusRefresh.Windows(times);

        Assert.Equal(2, windows.Count);
        Assert.Equal((RunA.AddSeconds(-2), RunA.AddMinutes(10).AddSeconds(3)), windows[0]);
        Assert.Equal(RunA.AddHours(5).AddSeconds(-2), windows[1].From);
        Assert.True(windows[1].To >= RunA.AddHours(5).AddSeconds(2.7));
    }

    [Fact]
    public async Task A_webhook_is_recorded_once_and_remembered_by_the_next_listener()
    {
        using (var journal = LinkJournal.Over(FileJournalStore.Open(Path)))
        {
            await journal.AppendAsync(Pending("Inv-1", RunA, 1, "10.00")).WaitAsync(Deadline);
            await journal.AppendAsync(Created("Inv-1", "L-1", RunA)).WaitAsync(Deadline);
        }
        var paid = new LinkStatusUpdate { LinkId = "L-1", Status = "completed", ReceivedAt = RunA.AddMinutes(3) };
        var listener = new WebhookJournal(Path, TimeSpan.FromDays(1));
        await listener.LoadAsync(default);

        Assert.NotNull(await listener.RecordAsync(paid, "digest-1", default));
        Assert.True(listener.WasTaken("digest-1"));
        await listener.RecordAsync(paid, "digest-1", default);
        await listener.RecordAsync(new LinkStatusUpdate { LinkId = "L-1", Status = "started" }, "digest-2", default);
        Assert.Null(await listener.RecordAsync(new LinkStatusUpdate { LinkId = "L-other", Status = "completed" }, "digest-3", default));

        var restarted = new WebhookJournal(Path, TimeSpan.FromDays(1));
        await restarted.LoadAsync(default);
        Assert.True(restarted.WasTaken("digest-1"));
        using (var read = LinkJournal.Over(FileJournalStore.Open(Path)))
        {
            var row = read.Find("ref:INV-1")!;
            Assert.Equal(("completed", RunA.AddMinutes(3)), (row.Status, row.StatusAt));
        }
        Assert.Equal(1, File.ReadLines(Path).Count(l => l.Contains("\"status\":\"completed\"", StringComparison.Ordinal)));
        Assert.Equal(3, File.ReadLines(Path).Count(l => l.Contains("\"state\":\"webhook\"", StringComparison.Ordinal)));
    }
}
