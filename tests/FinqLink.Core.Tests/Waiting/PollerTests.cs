using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Services;
using FinqLink.Waiting;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace FinqLink.Core.Tests.Waiting;

/// <summary>The polling engine on a fake clock: each round is scripted, and the clock moves only when the poller pauses.</summary>
public sealed class PollerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private readonly FakeTimeProvider _time = new();
    private readonly Recorder _seen = new();

    [Fact]
    public async Task Writes_each_object_when_it_gets_there_and_tells_where_to_act_once()
    {
        var goal = new ScriptedGoal(
            round => new() { ["a"] = new Item("created", "https://pay/a"), ["b"] = new Item("started") },
            round => new() { ["a"] = new Item("completed"), ["b"] = new Item("started") },
            round => new() { ["b"] = new Item("completed") });
        var summary = await RunAsync(goal, TimeSpan.FromSeconds(60), "a", "b", "a");

        Assert.Equal(new[] { "reached a completed", "reached b completed" }, _seen.Lines.Where(l => l.StartsWith("reached", StringComparison.Ordinal)));
        Assert.Equal(new[] { "open a https://pay/a" }, _seen.Lines.Where(l => l.StartsWith("open", StringComparison.Ordinal)));
        Assert.Equal((2, 2, 3, 0), (summary.Total, summary.Reached, summary.Rounds, summary.TimedOut));
        Assert.Equal(TimeSpan.FromSeconds(4), summary.Elapsed);
        Assert.Contains("pausing 1 of 2 done; waiting: 1 started (2 of 60 s) 50%", _seen.Lines);
    }

    [Fact]
    public async Task Times_out_at_the_deadline_with_the_last_status_and_the_last_failure()
    {
        var goal = new ScriptedGoal(round => round < 3
            ? new ManyResultBuilder { ["a"] = new Item("started") }
            : Failed("a", new FinqLinkTransportException("connection refused", new HttpRequestExceptionStandIn())));
        var summary = await RunAsync(goal, TimeSpan.FromSeconds(5), "a");

        // Rounds at 0, 2, 4 s, then a short pause to the deadline and a last round at 5 s.
        Assert.Equal((4, 1, TimeSpan.FromSeconds(5)), (summary.Rounds, summary.TimedOut, summary.Elapsed));
        Assert.Equal("timed out a: still 'started' after 5 s (waiting for completed); the last read failed: connection refused.", _seen.Lines.Last());
    }

    [Fact]
    public async Task Rides_out_passing_failures_and_drops_an_object_the_api_refuses()
    {
        var goal = new ScriptedGoal(
            round => throw new FinqLinkApiException(HttpStatusCode.TooManyRequests, "throttled", null, null, "slow down"),
            round => Failed("a", new FinqLinkApiException(HttpStatusCode.ServiceUnavailable, null, null, null, "down"),
                            "b", new FinqLinkApiException(HttpStatusCode.NotFound, "not_found", null, null, "no such link")),
            round => new() { ["a"] = new Item("completed") });
        var summary = await RunAsync(goal, TimeSpan.FromSeconds(60), "a", "b");

        Assert.Equal(new[] { "retry round: slow down", "retry a: down", "failed b: no such link", "reached a completed" },
            _seen.Lines.Where(l => !l.StartsWith("pausing", StringComparison.Ordinal)));
        Assert.Equal((1, 1, 3), (summary.Reached, summary.Failed, summary.Rounds));
    }

    [Fact]
    public async Task Ends_an_object_that_can_no_longer_get_there()
    {
        var goal = new ScriptedGoal(round => new() { ["a"] = new Item("failed") });
        var summary = await RunAsync(goal, TimeSpan.FromSeconds(60), "a");

        Assert.Equal(new[] { "unreachable a: ended as 'failed' without reaching completed." }, _seen.Lines);
        Assert.Equal((1, 1), (summary.Unreachable, summary.Rounds));
    }

    [Fact]
    public async Task A_round_that_hangs_is_cut_at_the_deadline()
    {
        var goal = new ScriptedGoal(round => throw new InvalidOperationException("not reached")) { Hang = true };
        var run = new Poller<Item>(goal, TimeSpan.FromSeconds(3), Interval, _time).RunAsync(Targets("a"), _seen, CancellationToken.None);
        await goal.Polled.WaitAsync(TimeSpan.FromSeconds(30));
        _time.Advance(TimeSpan.FromSeconds(3));
        var summary = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(new[] { "timed out a: never read after 3 s (waiting for completed)." }, _seen.Lines);
        Assert.Equal((1, 1), (summary.Rounds, summary.TimedOut));
    }

    [Fact]
    public async Task Cancelling_ends_the_wait_without_timing_anything_out()
    {
        var goal = new ScriptedGoal(round => new() { ["a"] = new Item("started") });
        using var stop = new CancellationTokenSource();
        var run = new Poller<Item>(goal, TimeSpan.FromSeconds(60), Interval, _time).RunAsync(Targets("a"), _seen, stop.Token);
        await _seen.Paused.WaitAsync(TimeSpan.FromSeconds(30));
        stop.Cancel();
        var summary = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal((1, 0, 0), (summary.Rounds, summary.TimedOut, summary.Reached));
    }

    [Fact]
    public async Task A_wait_cut_short_still_reports_its_counts_so_far()
    {
        var goal = new ScriptedGoal(round => new() { ["a"] = new Item("completed"), ["b"] = new Item("started") });
        var poller = new Poller<Item>(goal, TimeSpan.FromSeconds(60), Interval, _time);
        Assert.Null(poller.SoFar());
        using var stop = new CancellationTokenSource();
        var run = poller.RunAsync(Targets("a", "b"), _seen, stop.Token);
        await _seen.Paused.WaitAsync(TimeSpan.FromSeconds(30));
        _time.Advance(TimeSpan.FromSeconds(1));

        // What Wait-Finq* sets -SummaryVariable from when Ctrl+C stops the pipeline before the wait returns.
        var soFar = poller.SoFar()!;
        Assert.Equal((2, 1, 1, TimeSpan.FromSeconds(1)), (soFar.Total, soFar.Reached, soFar.Rounds, soFar.Elapsed));
        stop.Cancel();
        await run.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private async Task<WaitSummary> RunAsync(ScriptedGoal goal, TimeSpan timeout, params string[] ids)
    {
        var start = _time.GetUtcNow();
        var run = new Poller<Item>(goal, timeout, Interval, _time).RunAsync(Targets(ids), _seen, CancellationToken.None);
        // The poller creates its pause's timer before it says it pauses: the clock moves only then, by the pause's length.
        while (true)
        {
            var paused = _seen.Paused.WaitAsync(TimeSpan.FromSeconds(30));
            if (await Task.WhenAny(run, paused) == run) break;
            Assert.True(await paused, "the poller neither paused nor ended in 30 s");
            var left = timeout - (_time.GetUtcNow() - start);
            _time.Advance(left < Interval ? left : Interval);
        }
        return await run.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static IEnumerable<WaitTarget<Item>> Targets(params string[] ids) => ids.Select(id => new WaitTarget<Item>(id, id, id));

    private static ManyResult<Item> Failed(params object[] idsAndErrors)
    {
        var failed = new Dictionary<string, Exception>();
        for (var i = 0; i < idsAndErrors.Length; i += 2) failed[(string)idsAndErrors[i]] = (Exception)idsAndErrors[i + 1];
        return new ManyResult<Item>(new Dictionary<string, Item>(), failed);
    }

    internal sealed record Item(string Status, string? Url = null);

    private sealed class HttpRequestExceptionStandIn : Exception;

    private sealed class ScriptedGoal(params Func<int, ManyResultBuilder>[] rounds) : WaitGoal<Item>
    {
        private int _round;
        public bool Hang { get; init; }
        public SemaphoreSlim Polled { get; } = new(0);

        public override string Description => "completed";

        public override async Task<ManyResult<Item>> PollAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
        {
            Polled.Release();
            if (Hang) await Task.Delay(Timeout.Infinite, cancellationToken);
            var round = _round++;
            var found = rounds[Math.Min(round, rounds.Length - 1)](round);
            return found.Result is { } result ? result : new ManyResult<Item>(found.Where(f => ids.Contains(f.Key)).ToDictionary(), new Dictionary<string, Exception>());
        }

        public override bool Reached(Item item) => item.Status == "completed";
        public override bool CannotReach(Item item) => item.Status == "failed";
        public override string? StatusOf(Item item) => item.Status;
        public override string? ActionUrlOf(Item item) => item.Url;
    }

    /// <summary>A round's script: the objects found, or a whole result with failures.</summary>
    internal sealed class ManyResultBuilder : Dictionary<string, Item>
    {
        public ManyResult<Item>? Result { get; private init; }
        public static implicit operator ManyResultBuilder(ManyResult<Item> result) => new() { Result = result };
    }

    private sealed class Recorder : IWaitObserver<Item>
    {
        public List<string> Lines { get; } = new();
        public SemaphoreSlim Paused { get; } = new(0);

        public void Reached(WaitTarget<Item> target, Item item) => Add($"reached {target.Id} {item.Status}");
        public void Unreachable(WaitTarget<Item> target, Item item, InvalidOperationException reason) => Add($"unreachable {reason.Message}");
        public void Failed(WaitTarget<Item> target, Exception reason) => Add($"failed {target.Id}: {reason.Message}");
        public void TimedOut(WaitTarget<Item> target, TimeoutException reason) => Add($"timed out {reason.Message}");
        public void Retrying(WaitTarget<Item>? target, Exception failure) => Add($"retry {target?.Id ?? "round"}: {failure.Message}");
        public void ActionsOpen(IReadOnlyList<ActionPage> pages) { foreach (var p in pages) Add($"open {p.Name} {p.Url}"); }

        public void Pausing(string status, int percentComplete)
        {
            Add($"pausing {status} {percentComplete}%");
            Paused.Release();
        }

        private void Add(string line)
        {
            lock (Lines) Lines.Add(line);
        }
    }
}
