using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Bulk;
using FinqLink.Core.Tests.Fakes;
using Xunit;
using static FinqLink.Core.Tests.Bulk.BulkTestRuns;

namespace FinqLink.Core.Tests.Bulk;

/// <summary>
/// Whole runs whose journals are in "storage" (a local file standing in for the blob, and in-memory conditional records
/// for the registry), on "machines" that share nothing local: the global slot registry makes reconciliation exact.
/// </summary>
public sealed class StorageRegistryRunTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("finqlink-registry-").FullName;
    private readonly InMemoryConditionalRecords _records = new();

    /// <summary>A run on a machine of its own (its own lane folder), whose journal's storage hosts the registry unless <paramref name="registry"/> is false.</summary>
    private BulkRunOptions OnMachine(string name, int seed, bool registry = true) => new()
    {
        JournalPath = Path.Combine(_folder, name + ".journal"), ThrottleLimit = 8, Random = new Random(seed),
        SettleDelay = TimeSpan.FromMilliseconds(20), DroppedGrace = TimeSpan.FromMilliseconds(50),
        LaneFolder = Path.Combine(_folder, "machine-" + name),
        OpenJournalStore = path => registry ? new StoredJournal(FileJournalStore.Open(path), _records) : FileJournalStore.Open(path),
    };

    private static FakeFinqLinkApi FaultyApi() => new()
    {
        Latency = TimeSpan.FromMilliseconds(3),
        CreateFault = r => r.NextDouble() switch { < 0.15 => Fault.FailAfter, < 0.30 => Fault.DropAfter, < 0.35 => Fault.FailBefore, _ => Fault.None },
    };

    [Theory]
    [InlineData(true, 0)]
    [InlineData(false, -1)]      // the same runs on lanes: runs on other machines share the one lane a 2-hour expiry has
    public async Task Four_machines_at_once_with_faults_after_commit_get_every_row_exactly_once_and_none_ambiguous(bool registry, int expectedAmbiguous)
    {
        var api = FaultyApi();
        api.Seed(27);
        var work = Enumerable.Range(0, 4).Select(n => Task.Run(() => RunAsync(api, OnMachine("m" + n, seed: 5, registry), Rows("M" + n, 150, expiresIn: TimeSpan.FromHours(2))))).ToList();
        var outcomes = (await Task.WhenAll(work)).SelectMany(o => o).ToList();

        Assert.Equal(600, outcomes.Count);
        AssertNoRowCreatedTwice(api);
        var ambiguous = outcomes.Count(o => o.Kind == BulkOutcomeKind.Ambiguous);
        if (expectedAmbiguous >= 0)
        {
            AssertExactlyOnce(api, outcomes);
            Assert.Equal(expectedAmbiguous, ambiguous);
            Assert.All(outcomes.Where(o => !o.Succeeded), o => Assert.Equal(BulkRowProblem.NotCreated, ((BulkRowException)o.Error!).Problem));
            Assert.True(_records.All().Count >= 4, "every run reserved its slots in the registry");
        }
        // Without the registry, a row may even take another machine's link, in the rare case New-FinqLink's help documents
        // for runs on different machines that share a lane (as every run does under a 3-hour expiry): so only "no row
        // created twice" holds there, and the rows left ambiguous show what the registry fixes.
        else Assert.True(ambiguous > 0, "the lanes were expected to leave rows ambiguous here; the test no longer shows what the registry fixes");
    }

    [Fact]
    public async Task A_journal_resumed_on_another_machine_settles_the_rows_a_killed_run_left_pending_over_their_journaled_windows()
    {
        var api = new FakeFinqLinkApi { Latency = TimeSpan.FromMilliseconds(2) };
        var first = OnMachine("killed", seed: 1);
        var rows = Rows("K", 30, expiresIn: TimeSpan.FromHours(2));
        Assert.All(await RunAsync(api, first, rows), o => Assert.Equal(BulkOutcomeKind.Created, o.Kind));
        // As if killed after its last request was sent and before the answers in flight were journaled: the journal up to its last "pending" line.
        var lines = File.ReadAllLines(first.JournalPath!).ToList();
        var kept = lines.Take(lines.FindLastIndex(l => l.Contains("\"pending\"", StringComparison.Ordinal)) + 1).ToList();
        var pending = kept.Where(l => l.Contains("\"pending\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(30, pending.Count);
        Assert.All(pending, l => Assert.Contains("\"window_to\"", l, StringComparison.Ordinal));   // the window a resumer settles over
        Assert.DoesNotContain(pending, l => l.Contains("\"lane\"", StringComparison.Ordinal));
        File.WriteAllLines(first.JournalPath!, kept);
        Assert.True(lines.Count - kept.Count >= 3, "some rows are left pending");

        var again = OnMachine("killed", seed: 2);
        again.LaneFolder = Path.Combine(_folder, "another-machine");
        var second = await RunAsync(api, again, rows);
        Assert.All(second, o => Assert.Equal(BulkOutcomeKind.FromJournal, o.Kind));
        Assert.Equal(30, api.Links.Count);
        foreach (var outcome in second)
            Assert.Equal(outcome.Row.Reference, api.Links.Single(l => l.LinkId == outcome.Link!.LinkId).Remittance);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A journal file standing in for a journal in storage: its "account" hosts the registry.</summary>
    private sealed class StoredJournal : IJournalStore, ISlotRegistryHost
    {
        private readonly FileJournalStore _file;

        public StoredJournal(FileJournalStore file, IConditionalRecords records)
        {
            _file = file;
            SlotRecords = records;
        }

        public IConditionalRecords SlotRecords { get; }
        public string Location => _file.Location;
        public string? Repaired => _file.Repaired;
        public IEnumerable<JournalEntry> Read() => _file.Read();
        public Task AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken) => _file.AppendAsync(entries, cancellationToken);
        public void Dispose() => _file.Dispose();
    }
}
