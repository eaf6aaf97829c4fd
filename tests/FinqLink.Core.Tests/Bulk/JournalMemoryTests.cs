using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Bulk;
using Xunit;

namespace FinqLink.Core.Tests.Bulk;

/// <summary>
/// A journaled run keeps every row's latest entry for as long as it runs: a million rows must fit a runbook's few hundred
/// MB. Rows are journaled as a run journals them (pending with its fingerprint and window, then created with its link),
/// into a store that keeps nothing, so what is held is the journal's own. The keys are held by the test beforehand, as the
/// run holds them anyway.
/// </summary>
[Collection(MemoryMeasurement.Name)]
public sealed class JournalMemoryTests
{
    // The first rows fill the journal's pool of shared values (a cost paid once); the rows measured come after.
    private const int First = 5_000, Rows = 25_000;
    private static readonly DateTimeOffset Run = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_journal_keeps_under_250_bytes_a_row()
    {
        var keys = Enumerable.Range(1, Rows).Select(i => "ref:INV-" + i.ToString("D6", CultureInfo.InvariantCulture)).ToArray();
        var links = Enumerable.Range(1, Rows).Select(_ => Guid.NewGuid().ToString("D")).ToArray();
        var journal = LinkJournal.Over(new KeepsNothing(), () => Run.AddSeconds(1));
        await Journal(journal, keys, links, 0, First);
        var before = GC.GetTotalMemory(forceFullCollection: true);

        await Journal(journal, keys, links, First, Rows);
        var held = GC.GetTotalMemory(forceFullCollection: true) - before;
        GC.KeepAlive(keys);
        GC.KeepAlive(links);

        Assert.Equal(Rows, journal.Entries.Count);
        Assert.Equal(links[Rows - 1], journal.Find(keys[Rows - 1])!.LinkId);
        var perRow = held / (Rows - First);
        // About 200 bytes a row (the record's array of about 150 bytes, the map's entry); the records as objects took 780.
        Assert.True(perRow < 250, $"{perRow} bytes held per row");
        journal.Dispose();
    }

    private static async Task Journal(LinkJournal journal, string[] keys, string[] links, int from, int to)
    {
        var writes = new List<Task>();
        for (var i = from; i < to; i++)
        {
            var reference = keys[i].Substring(4);
            writes.Add(journal.AppendAsync(new JournalEntry
            {
                Key = keys[i], State = JournalState.Pending, Reference = reference, Run = Run, Row = i + 1, Attempt = 1, Lane = 3,
                ExpiresInSeconds = 86_400 + 3 * 64 + i % 16, BaseExpiresInSeconds = 86_400,
                WindowFrom = Run.AddSeconds(1).AddTicks(12_345), WindowTo = Run.AddSeconds(131).AddTicks(12_345),
                Fingerprint = new Dictionary<string, string>
                {
                    ["amount"] = (10 + i).ToString(CultureInfo.InvariantCulture) + ".50", ["creditor"] = "sha256:00112233445566778899aabbccddeeff", ["currency"] = "RON",
                    ["debtor"] = "", ["options"] = "sha256:ffeeddccbbaa99887766554433221100", ["payment_method"] = "",
                    ["remittance"] = "sha256:" + i.ToString("x32", CultureInfo.InvariantCulture),
                },
                RemittanceInformation = "Invoice " + reference,
            }));
            writes.Add(journal.AppendAsync(new JournalEntry
            {
                Key = keys[i], State = JournalState.Created, LinkId = links[i], WebUrl = "https://pay.example/l/" + links[i], Status = "created",
                ExpiresAt = Run.AddDays(1).AddSeconds(i % 16),
            }));
            if (writes.Count >= 1000)
            {
                await Task.WhenAll(writes);
                writes.Clear();
            }
        }
        await Task.WhenAll(writes);
    }

    internal sealed class KeepsNothing : IJournalStore
    {
        public string Location => "memory";
        public string? Repaired => null;
        public IEnumerable<JournalEntry> Read() => Array.Empty<JournalEntry>();
        public Task AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken) => Task.CompletedTask;
        public void Dispose() { }
    }
}
