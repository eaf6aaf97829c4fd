using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Bulk;
using FinqLink.Core.Tests.Fakes;
using FinqLink.Http;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace FinqLink.Core.Tests.Bulk;

/// <summary>
/// The storage slot registry alone, over in-memory conditional records: "machines" with clocks of their own (skewed, or
/// stopped to play a dead run) that share one storage account.
/// </summary>
public sealed class StorageSlotRegistryTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan TwoHours = TimeSpan.FromHours(2);
    private static readonly TimeSpan InFlightFor = TimeSpan.FromSeconds(105);
    /// <summary>The API server's clock when each test starts.</summary>
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private readonly InMemoryConditionalRecords _records = new();
    private readonly List<IDisposable> _runs = new();

    /// <summary>A run on a machine whose clock is <paramref name="skew"/> off the server's, and that has heard the server once.</summary>
    private (StorageSlotRegistry Registry, FakeTimeProvider Time) Machine(TimeSpan skew = default, string client = "client-1", int seed = 1, bool intact = true, int rowsAhead = 96)
    {
        var time = new FakeTimeProvider(T0 + skew);
        var clock = new ServerClock(time);
        clock.Observe(time.GetUtcNow(), time.GetUtcNow(), T0, TimeSpan.FromSeconds(1));
        var registry = new StorageSlotRegistry(_records, "https://api.example " + client, "memory://journals/" + seed, clock, time, InFlightFor,
            rowsAhead, () => intact, new Random(seed), log: null);
        _runs.Add(registry);
        return (registry, time);
    }

    private static Task<SlotLease[]> ReserveMany(ISlotRegistry registry, int count, TimeSpan? expiry = null) =>
        Task.WhenAll(Enumerable.Range(0, count).Select(_ => registry.ReserveAsync(expiry ?? TwoHours, CancellationToken.None))).WaitAsync(Deadline);

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition()) { Assert.True(DateTime.UtcNow < deadline, "timed out"); await Task.Delay(10); }
    }

    private static DateTimeOffset HeldUntil(IReadOnlyDictionary<string, string> values) =>
        DateTimeOffset.Parse(values["held_until"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    [Fact]
    public async Task Runs_on_machines_with_skewed_clocks_never_hold_one_slot_and_expiries_move_by_minutes()
    {
        var (east, _) = Machine(TimeSpan.FromSeconds(300), seed: 1);
        var (west, _) = Machine(TimeSpan.FromSeconds(-300), seed: 1);     // one seed: chance alone would pick the same blocks
        var mine = await ReserveMany(east, 64);
        var theirs = await ReserveMany(west, 64);
        var all = mine.Concat(theirs).Select(l => l.ExpiresInSeconds).ToList();

        Assert.Equal(128, all.Distinct().Count());
        Assert.All(all, e => Assert.InRange(e - 7200, 3, (long)RegistrySlots.MaxShift(TwoHours).TotalSeconds));
        Assert.All(all, e => Assert.Contains((e - 7200) % 10, new long[] { 3, 7 }));        // never a lane's 10 s step, never the base
        Assert.Equal(21 * 60 + 17, RegistrySlots.MaxShift(TwoHours).TotalSeconds);
        Assert.Equal(42 * 60 + 37, RegistrySlots.MaxShift(TimeSpan.FromDays(7)).TotalSeconds);
        Assert.Equal(16, _records.All().Count);                                             // 8 blocks each: 64 slots
        Assert.All(mine.Concat(theirs), l => Assert.Null(l.Lane));
        Assert.Equal(mine.Select(l => l.ExpiresInSeconds).ToHashSet(), east.HeldExpiries());
    }

    [Fact]
    public async Task A_run_holds_blocks_for_the_rows_it_takes_ahead_and_16_being_settled_and_then_waits()
    {
        // A journaled run at -ThrottleLimit 4 takes 16 rows ahead (Admission.RowsAhead): 16 + 16 slots, 4 blocks of 8.
        var (registry, _) = Machine(seed: 5, rowsAhead: 16);
        var held = await ReserveMany(registry, 32);
        Assert.Equal(4, _records.All().Count);
        var waiting = registry.ReserveAsync(TwoHours, CancellationToken.None);
        Assert.False(waiting.IsCompleted, "a fifth block is not taken: the run waits for one of its own slots");
        held[0].Dispose();
        var next = await waiting.WaitAsync(Deadline);
        Assert.Equal(held[0].ExpiresInSeconds, next.ExpiresInSeconds);
        Assert.Equal(4, _records.All().Count);
    }

    [Fact]
    public async Task Another_client_and_another_expiry_have_slot_spaces_of_their_own()
    {
        var (one, _) = Machine(seed: 3);
        var (other, _) = Machine(client: "client-2", seed: 3);
        await ReserveMany(one, 64);
        await ReserveMany(other, 64);                  // the same blocks, under another client's name
        await ReserveMany(one, 8, TimeSpan.FromDays(7));
        Assert.Equal(8 + 8 + 1, _records.All().Count);
        Assert.Equal(3, _records.All().Select(r => r.Name.Substring(0, r.Name.LastIndexOf('/'))).Distinct().Count());
    }

    [Fact]
    public async Task A_dead_runs_blocks_stay_held_until_its_last_request_could_no_longer_make_a_link()
    {
        // Four runs take every block (32 for an expiry of an hour: 256 slots), send one row each, and die: their clocks stop.
        var hour = TimeSpan.FromHours(1);
        var dead = new[] { Machine(seed: 1), Machine(seed: 2), Machine(seed: 3), Machine(seed: 4) };
        foreach (var (registry, time) in dead)
        {
            var leases = await ReserveMany(registry, 64, hour);
            await leases[0].CoverAsync(T0 + InFlightFor, CancellationToken.None);
        }
        Assert.Equal(32, _records.All().Count);
        var lastLink = _records.All().Max(r => HeldUntil(r.Values));
        Assert.True(lastLink >= T0 + InFlightFor + StorageSlotRegistry.Margin, "a block lapses before its run's last request could no longer make a link");

        var (resumer, clock) = Machine(seed: 9);
        var waiting = resumer.ReserveAsync(hour, CancellationToken.None);
        clock.Advance(lastLink - T0 - TimeSpan.FromSeconds(1));            // the dead run's time is not yet up: the row waits
        var calls = _records.Calls;
        await WaitUntil(() => _records.Calls > calls);                     // a retry of taking a block (every second) saw them all held
        Assert.False(waiting.IsCompleted, "a row got a slot of a block whose run's request could still make a link");
        clock.Advance(StorageSlotRegistry.Margin + TimeSpan.FromSeconds(3));
        var slot = await waiting.WaitAsync(Deadline);
        Assert.InRange(slot.ExpiresInSeconds - 3600, 3, (long)RegistrySlots.MaxShift(hour).TotalSeconds);
    }

    [Fact]
    public async Task A_request_is_sent_only_while_the_block_is_held_past_its_window_and_a_lost_block_stops_the_run()
    {
        var (paused, pausedClock) = Machine(seed: 4);
        var lease = (await ReserveMany(paused, 1))[0];
        var block = _records.All().Single();
        var heldUntil = HeldUntil(block.Values);

        // Within the hold: no write. Past it: the block is renewed first.
        var writes = _records.Writes;
        await lease.CoverAsync(heldUntil - StorageSlotRegistry.Margin, CancellationToken.None);
        Assert.Equal(writes, _records.Writes);
        pausedClock.Advance(TimeSpan.FromSeconds(10));
        await lease.CoverAsync(heldUntil + TimeSpan.FromSeconds(1), CancellationToken.None);
        Assert.True(HeldUntil(_records.Read(block.Name)!) > heldUntil);

        // The machine sleeps past the hold (its renewals stop with it): another run takes the block; the sleeper may send nothing more with it.
        var (other, otherClock) = Machine(seed: 4);
        otherClock.Advance(HeldUntil(_records.Read(block.Name)!) - T0 + StorageSlotRegistry.Margin + TimeSpan.FromSeconds(2));
        await ReserveMany(other, 1);
        Assert.Single(_records.All());                                                      // the same block, taken over
        pausedClock.Advance(TimeSpan.FromMinutes(10));
        var lost = await Assert.ThrowsAsync<SlotRegistryException>(() => lease.CoverAsync(pausedClock.GetUtcNow() + InFlightFor, CancellationToken.None));
        Assert.Contains("lost", lost.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_storage_stops_the_run_before_a_slot_is_given()
    {
        var (run, _) = Machine();
        _records.Unreachable = true;
        var failure = await Assert.ThrowsAsync<SlotRegistryException>(() => run.ReserveAsync(TwoHours, CancellationToken.None));
        Assert.Contains("memory://slots", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_that_ends_with_rows_unsettled_keeps_its_blocks_until_their_windows_end()
    {
        var (run, _) = Machine(seed: 5);
        var leases = await ReserveMany(run, 3);
        var windowEnd = T0 + TimeSpan.FromSeconds(30);
        await leases[1].CoverAsync(windowEnd, CancellationToken.None);
        leases[0].Dispose();
        run.Dispose();                                         // leases[1] is still held: its row has no verdict
        var record = _records.All().Single();
        Assert.Equal(windowEnd, HeldUntil(record.Values));
        Assert.True(SlotBlock.IsFree(record, windowEnd + StorageSlotRegistry.Margin + TimeSpan.FromSeconds(1), StorageSlotRegistry.Margin));
        Assert.False(SlotBlock.IsFree(record, windowEnd + StorageSlotRegistry.Margin, StorageSlotRegistry.Margin));
        await Assert.ThrowsAsync<SlotRegistryException>(() => leases[2].CoverAsync(T0, CancellationToken.None));   // an ended run sends nothing
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_run_that_ends_with_every_verdict_journaled_gives_its_blocks_back_at_once(bool intact)
    {
        var (run, _) = Machine(seed: 6, intact: intact);
        var leases = await ReserveMany(run, 3);
        var windowEnd = T0 + TimeSpan.FromSeconds(105);
        await leases[0].CoverAsync(windowEnd, CancellationToken.None);
        foreach (var lease in leases) lease.Dispose();
        run.Dispose();
        // With every journal write made, a row whose slot came back has its verdict journaled: its window matters no more.
        Assert.Equal(intact ? T0 + TimeSpan.FromSeconds(1) : windowEnd, HeldUntil(_records.All().Single().Values));
    }

    [Fact]
    public async Task A_row_waits_for_a_slot_when_its_run_holds_the_most_blocks_it_may_and_gets_one_given_back()
    {
        var (run, _) = Machine(seed: 7);
        var held = await ReserveMany(run, StorageSlotRegistry.MaxBlocksPerExpiry * RegistrySlots.BlockSize);
        var waiting = run.ReserveAsync(TwoHours, CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        held[5].Dispose();
        Assert.Equal(held[5].ExpiresInSeconds, (await waiting.WaitAsync(Deadline)).ExpiresInSeconds);
        Assert.Equal(StorageSlotRegistry.MaxBlocksPerExpiry, _records.All().Count);
    }

    public void Dispose()
    {
        foreach (var run in _runs) run.Dispose();
    }
}
