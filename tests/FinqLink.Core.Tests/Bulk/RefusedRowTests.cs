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

/// <summary>Rows refused before sending, in a journaled run: each journaled, without holding up the rows behind it.</summary>
public sealed class RefusedRowTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly string _folder = Directory.CreateTempSubdirectory("finqlink-refused-").FullName;

    [Fact]
    public async Task Refused_rows_are_taken_without_waiting_for_the_disk_and_share_its_writes()
    {
        var path = Path.Combine(_folder, "run.journal");
        HeldStore? store = null;
        var options = new BulkRunOptions
        {
            JournalPath = path, ThrottleLimit = 4, Random = new Random(1), LaneFolder = Path.Combine(_folder, "lanes"),
            OpenJournalStore = p => store = new HeldStore(FileJournalStore.Open(p)),
        };
        using (var opened = new OpenedRun(new FakeFinqLinkApi(), options))
        {
            // A comma is not a decimal point: each row is refused before anything is sent, and its refusal journaled.
            var rows = Enumerable.Range(1, 30).Select(i => new BulkRow(new LinkCreateOptions { Amount = "12,50", Currency = "RON" }, $"bad-{i}", i));
            foreach (var row in rows) Assert.True(await opened.Run.AddAsync(row, CancellationToken.None).WaitAsync(Deadline));   // the first write is still held
            store!.Release.Set();
            await opened.Run.CompleteAsync().WaitAsync(Deadline);
            Assert.Equal(Enumerable.Range(1, 30).Select(i => $"bad-{i}"), opened.Outcomes.Where(o => o.Kind == BulkOutcomeKind.Rejected).Select(o => o.Row.Reference));
            Assert.InRange(store.Writes, 1, 3);
        }
        Assert.Equal(30, File.ReadAllLines(path).Count(l => l.Contains("\"state\":\"refused\"", StringComparison.Ordinal)));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A file store whose writes wait until released; counts them.</summary>
    private sealed class HeldStore(FileJournalStore inner) : IJournalStore
    {
        private int _writes;
        public ManualResetEventSlim Release { get; } = new();
        public int Writes => _writes;
        public string Location => inner.Location;
        public string? Repaired => inner.Repaired;
        public IEnumerable<JournalEntry> Read() => inner.Read();

        public Task AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken)
        {
            // The journal's owner line, written when the run opens it, is not a refused row's write.
            if (entries.All(e => e.Key == JournalOwner.Key)) return inner.AppendAsync(entries, cancellationToken);
            Interlocked.Increment(ref _writes);
            Release.Wait(Deadline, cancellationToken);
            return inner.AppendAsync(entries, cancellationToken);
        }

        public void Dispose() => inner.Dispose();
    }
}
