using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Bulk;
using FinqLink.Core.Tests.Fakes;
using FinqLink.Options;
using Xunit;

namespace FinqLink.Core.Tests.Bulk;

/// <summary>
/// A row gives its expiry slot back as soon as its outcome is queued in the journal, before it is on disk: the journal
/// writes in order, so what a re-run reads never has two rows pending on one slot, whatever instant the run dies at.
/// </summary>
public sealed class SlotReuseTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("finqlink-slots-").FullName;

    [Fact]
    public async Task At_every_send_the_journal_on_disk_has_at_most_one_row_pending_per_slot()
    {
        // Slow writes keep outcomes queued and not yet on disk while later rows take the slots they gave back.
        using var store = new SlowDurableStore(FileJournalStore.Open(Path.Combine(_folder, "run.journal")), TimeSpan.FromMilliseconds(3));
        var violations = new List<string>();
        var sends = 0;
        var api = new FakeFinqLinkApi
        {
            Latency = TimeSpan.FromMilliseconds(1),
            // Runs as each create arrives, after its row's pending entry is on disk: what a run killed now would leave.
            CreateFault = _ =>
            {
                sends++;
                violations.AddRange(store.SlotsPendingTwice());
                return Fault.None;
            },
        };
        var options = new BulkRunOptions
        {
            JournalPath = Path.Combine(_folder, "run.journal"), ThrottleLimit = 8, Random = new Random(3),
            OpenJournalStore = _ => store, LaneFolder = Path.Combine(_folder, "lanes"),
        };
        var outcomes = new List<BulkOutcome>();
        using (var client = TestClients.For(api))
        using (var run = new BulkLinkRun(client, options, o => { lock (outcomes) outcomes.Add(o); }))
        {
            run.Open(CancellationToken.None);
            foreach (var i in Enumerable.Range(1, 400))
                await run.AddAsync(new BulkRow(new LinkCreateOptions { Amount = 10 + i, Currency = "RON", RemittanceInformation = $"S-{i}" }, $"S-{i}", i), CancellationToken.None);
            await run.CompleteAsync();
        }

        Assert.Equal(400, outcomes.Count(o => o.Kind == BulkOutcomeKind.Created));
        Assert.Equal(400, sends);
        // 400 rows in at most 64 slots: every slot was given back and taken again several times.
        Assert.True(store.DistinctSlots() <= ExpiryLanes.SlotsPerLane, $"{store.DistinctSlots()} slots used");
        Assert.Empty(violations);
    }

    [Fact]
    public async Task A_journal_is_all_written_only_once_every_entry_appended_is_on_disk()
    {
        // What lets a storage registry give a block back at once: a row that gave its slot back has its verdict on disk.
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var journal = LinkJournal.Over(new SlowDurableStore(FileJournalStore.Open(Path.Combine(_folder, "held.journal")), TimeSpan.Zero, hold.Task));
        Assert.True(journal.AllWritten);
        var appended = journal.AppendAsync(new JournalEntry { Key = "ref:H-1", State = JournalState.Created, LinkId = "l-1" });
        Assert.False(journal.AllWritten, "an entry still being written counted as written");
        hold.SetResult();
        await appended.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(SpinWait.SpinUntil(() => journal.AllWritten, TimeSpan.FromSeconds(10)));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A file journal whose appends take a while longer to be durable; keeps what is on disk, line by line.</summary>
    private sealed class SlowDurableStore : IJournalStore
    {
        private readonly FileJournalStore _file;
        private readonly TimeSpan _delay;
        private readonly Task _hold;
        private readonly List<JournalEntry> _durable = new();
        private bool _disposed;

        public SlowDurableStore(FileJournalStore file, TimeSpan delay, Task? hold = null)
        {
            _file = file;
            _delay = delay;
            _hold = hold ?? Task.CompletedTask;
        }

        public string Location => _file.Location;
        public string? Repaired => _file.Repaired;
        public IEnumerable<JournalEntry> Read() => _file.Read();

        public async Task AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken)
        {
            await Task.Delay(_delay, cancellationToken);
            await _hold.WaitAsync(cancellationToken);
            await _file.AppendAsync(entries, cancellationToken);
            lock (_durable) _durable.AddRange(entries);
        }

        /// <summary>Slots that two rows hold by the journal on disk: each row's latest entry is pending with that expires_in.</summary>
        public IEnumerable<string> SlotsPendingTwice()
        {
            lock (_durable)
            {
                var latest = new Dictionary<string, (string State, long? ExpiresIn)>();
                foreach (var entry in _durable)
                    latest[entry.Key] = (entry.State, entry.ExpiresInSeconds ?? (latest.TryGetValue(entry.Key, out var earlier) ? earlier.ExpiresIn : null));
                return latest.Where(e => e.Value.State == JournalState.Pending).GroupBy(e => e.Value.ExpiresIn).Where(g => g.Count() > 1)
                    .Select(g => $"expires_in {g.Key}: {string.Join(", ", g.Select(e => e.Key))}").ToList();
            }
        }

        public int DistinctSlots()
        {
            lock (_durable) return _durable.Where(e => e.ExpiresInSeconds != null).Select(e => e.ExpiresInSeconds).Distinct().Count();
        }

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            _file.Dispose();
        }
    }
}
