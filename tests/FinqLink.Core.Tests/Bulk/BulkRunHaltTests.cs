using System;
using System.Collections.Concurrent;
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
/// A run cut short while rows are still being sent (Select-Object -First, -ErrorAction Stop): disposing it must not free the
/// journal, the lanes or the semaphores under rows in flight, or links made meanwhile are never reported, and a re-run can
/// create them a second time.
/// </summary>
public sealed class BulkRunHaltTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly string _folder = Directory.CreateTempSubdirectory("finqlink-halt-").FullName;

    private string Journal => Path.Combine(_folder, "run.journal");

    private BulkRunOptions Options(bool journaled, TimeSpan haltGrace) => new()
    {
        JournalPath = journaled ? Journal : null, ThrottleLimit = 8, Random = new Random(7), HaltGrace = haltGrace, LaneFolder = Path.Combine(_folder, "lanes"),
        SettleDelay = TimeSpan.FromMilliseconds(20), DroppedGrace = TimeSpan.FromMilliseconds(50),
    };

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException(what);
            await Task.Delay(10);
        }
    }

    /// <summary>Opens a run, adds <paramref name="rows"/> and waits until all of them are in flight (held by the API's gate).</summary>
    private static async Task<BulkLinkRun> StartHeldRun(FinqLinkClient client, BulkRunOptions options, ConcurrentQueue<BulkOutcome> outcomes, int rows)
    {
        var run = new BulkLinkRun(client, options, outcomes.Enqueue);
        run.Open(CancellationToken.None);
        foreach (var row in Rows("H", rows)) Assert.True(await run.AddAsync(row, CancellationToken.None));
        await WaitUntil(() => run.InFlight == rows, "the rows never got in flight");
        return run;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Disposing_a_run_cut_short_waits_for_the_creates_in_flight_and_counts_their_links(bool journaled)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var api = new FakeFinqLinkApi { CreatesMayProceed = gate.Task };
        using var client = TestClients.For(api);
        var outcomes = new ConcurrentQueue<BulkOutcome>();
        var run = await StartHeldRun(client, Options(journaled, Deadline), outcomes, 6);

        var disposing = Task.Run(run.Dispose);
        await WaitUntil(() => run.StopReason != null || disposing.IsCompleted, "the run was neither halted nor disposed");
        gate.SetResult();       // the API answers only once the run is being cut short
        await disposing.WaitAsync(Deadline);

        Assert.Equal(6, api.Links.Count);
        Assert.All(outcomes, o => Assert.Equal(BulkOutcomeKind.Created, o.Kind));
        Assert.Equal(6, outcomes.Count);
        Assert.Equal(6, run.Summary.Created);
        if (!journaled) return;

        // The journal holds every link made: a re-run answers each row from it and sends nothing.
        using var again = TestClients.For(api);
        var rerun = new ConcurrentQueue<BulkOutcome>();
        using (var second = new BulkLinkRun(again, Options(true, Deadline), rerun.Enqueue))
        {
            second.Open(CancellationToken.None);
            foreach (var row in Rows("H", 6)) await second.AddAsync(row, CancellationToken.None);
            await second.CompleteAsync();
        }
        Assert.All(rerun, o => Assert.Equal(BulkOutcomeKind.FromJournal, o.Kind));
        Assert.Equal(6, api.CreateCalls);
    }

    [Fact]
    public async Task Creates_still_unanswered_after_the_grace_are_cancelled_so_a_rerun_at_once_makes_each_link_once()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var api = new FakeFinqLinkApi { CreatesMayProceed = gate.Task };
        using var client = TestClients.For(api);
        var run = await StartHeldRun(client, Options(true, TimeSpan.FromMilliseconds(100)), new ConcurrentQueue<BulkOutcome>(), 6);
        run.Dispose();

        // A re-run on the same journal, before the first run's creates could have been answered: the first run must not
        // make a link once this one has settled its rows as not created.
        using var again = TestClients.For(api);
        var rerun = new ConcurrentQueue<BulkOutcome>();
        using (var second = new BulkLinkRun(again, Options(true, Deadline), rerun.Enqueue))
        {
            second.Open(CancellationToken.None);
            foreach (var row in Rows("H", 6)) await second.AddAsync(row, CancellationToken.None);
            gate.SetResult();
            await second.CompleteAsync().WaitAsync(Deadline);
        }

        Assert.Equal(6, rerun.Count(o => o.Kind == BulkOutcomeKind.Created));
        Assert.Equal(6, api.Links.Count);
        Assert.DoesNotContain(api.Links.GroupBy(l => l.Remittance), g => g.Count() > 1);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
