using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Bulk;
using FinqLink.Ledger;
using FinqLink.Webhooks;
using Xunit;
using static FinqLink.Core.Tests.Ledger.JournalLedgerTests;

namespace FinqLink.Core.Tests.Ledger;

/// <summary>Receive-FinqWebhook -JournalPath: each webhook reads only what was appended since the one before.</summary>
public sealed class WebhookJournalTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("finqlink-webhooks-").FullName;
    private int _linesRead;

    private string Path => System.IO.Path.Combine(_folder, "run.journal");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private WebhookJournal Listener() => new(Path, TimeSpan.FromDays(1), _ => Task.FromResult<IJournalStore>(new Counted(FileJournalStore.Open(Path), this)));

    private async Task Run(params JournalEntry[] lines)
    {
        using var journal = LinkJournal.Over(FileJournalStore.Open(Path));
        foreach (var line in lines) await journal.AppendAsync(line).WaitAsync(Deadline);
    }

    private static LinkStatusUpdate Paid(string linkId) => new() { LinkId = linkId, Status = "completed", ReceivedAt = RunA.AddMinutes(5) };

    private JournalEntry? Row(string reference)
    {
        using var journal = LinkJournal.Over(FileJournalStore.Open(Path));
        return journal.Find("ref:" + reference.ToUpperInvariant());
    }

    [Fact]
    public async Task A_webhook_reads_the_lines_appended_since_the_last_and_finds_links_a_rerun_added()
    {
        await Run(Enumerable.Range(1, 200).SelectMany(i => new[] { Pending($"Inv-{i}", RunA, i, "10.00"), Created($"Inv-{i}", $"L-{i}", RunA) }).ToArray());
        var listener = Listener();
        await listener.LoadAsync(default);
        Assert.Equal(400, _linesRead);

        _linesRead = 0;
        Assert.Equal("INV-7: created -> completed", await listener.RecordAsync(Paid("L-7"), "digest-1", default));
        Assert.Equal(1, _linesRead);                                      // the first line, to see the journal is the same one

        await Run(Pending("Inv-201", RunA.AddHours(1), 1, "5.00"), Created("Inv-201", "L-201", RunA.AddHours(1)));
        _linesRead = 0;
        Assert.Equal("INV-201: created -> completed", await listener.RecordAsync(Paid("L-201"), "digest-2", default));
        Assert.Equal(1 + 2 + 2, _linesRead);                              // first line; digest-1's two lines; the re-run's two

        Assert.Equal("completed", Row("Inv-7")!.Status);
        Assert.Equal("completed", Row("Inv-201")!.Status);
        _linesRead = 0;
        Assert.Equal("INV-7: stays completed (completed does not replace it)", await listener.RecordAsync(Paid("L-7"), "digest-3", default));
        Assert.True(listener.WasTaken("digest-2"));
    }

    [Fact]
    public async Task A_superseded_link_no_longer_names_its_row_and_a_replaced_journal_is_read_whole()
    {
        await Run(Pending("Inv-1", RunA, 1, "10.00"), Created("Inv-1", "L-old", RunA));
        var listener = Listener();
        await listener.LoadAsync(default);
        await Run(Created("Inv-1", "L-new", RunA.AddMinutes(1)));

        Assert.Null(await listener.RecordAsync(Paid("L-old"), "digest-1", default));
        Assert.Equal("INV-1: created -> completed", await listener.RecordAsync(Paid("L-new"), "digest-2", default));

        File.Delete(Path);
        await Run(Pending("Other-1", RunA.AddDays(1), 1, "3.00"), Created("Other-1", "L-other", RunA.AddDays(1)), Pending("Other-2", RunA.AddDays(1), 2, "4.00"),
            Created("Other-2", "L-new", RunA.AddDays(1)), Pending("Other-3", RunA.AddDays(1), 3, "5.00"), Pending("Other-4", RunA.AddDays(1), 4, "6.00"));
        _linesRead = 0;
        Assert.Equal("OTHER-2: created -> completed", await listener.RecordAsync(Paid("L-new"), "digest-3", default));
        Assert.Equal(1 + 6, _linesRead);                                  // the first line differs: the whole journal again
        Assert.Equal("completed", Row("Other-2")!.Status);
    }

    /// <summary>A file journal that counts the lines read through it.</summary>
    private sealed class Counted(FileJournalStore store, WebhookJournalTests test) : IJournalStore, IJournalTail
    {
        public string Location => store.Location;
        public string? Repaired => store.Repaired;
        public long Length => store.Length;
        public IEnumerable<JournalEntry> Read() => Count(store.Read());
        public IEnumerable<JournalEntry> ReadFrom(long offset) => Count(store.ReadFrom(offset));
        public Task AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken) => store.AppendAsync(entries, cancellationToken);
        public void Dispose() => store.Dispose();

        private IEnumerable<JournalEntry> Count(IEnumerable<JournalEntry> lines)
        {
            foreach (var line in lines)
            {
                test._linesRead++;
                yield return line;
            }
        }
    }
}
