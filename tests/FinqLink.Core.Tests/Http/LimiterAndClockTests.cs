using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Bulk;
using FinqLink.Http;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace FinqLink.Core.Tests.Http;

/// <summary>The AIMD limiter, the server clock learned from answers, and the expiry lanes that tag a bulk run's rows.</summary>
public class LimiterAndClockTests
{
    [Fact]
    public async Task The_limiter_admits_its_limit_and_the_next_request_when_one_ends()
    {
        var limiter = new AdaptiveConcurrencyLimiter(2);
        var first = await limiter.AcquireAsync(CancellationToken.None);
        using var second = await limiter.AcquireAsync(CancellationToken.None);
        var third = limiter.AcquireAsync(CancellationToken.None);
        await Task.Delay(50);
        Assert.False(third.IsCompleted);
        first.Dispose();
        first.Dispose();                                     // a lease ends once, however often it is disposed
        using var admitted = await third.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(limiter.AcquireAsync(CancellationToken.None).IsCompleted, "two in flight again: a double dispose freed nothing more");
    }

    [Fact]
    public void A_429_halves_the_limit_down_to_one_and_ten_successes_grow_it_by_one_up_to_the_maximum()
    {
        var limiter = new AdaptiveConcurrencyLimiter(16);
        var seen = new List<int>();
        for (var i = 0; i < 5; i++) { limiter.OnRateLimited(); seen.Add(limiter.Limit); }
        Assert.Equal(new[] { 8, 4, 2, 1, 1 }, seen);
        for (var i = 0; i < 9; i++) limiter.OnSuccess();
        Assert.Equal(1, limiter.Limit);
        limiter.OnSuccess();
        Assert.Equal(2, limiter.Limit);
        for (var i = 0; i < 1000; i++) limiter.OnSuccess();
        Assert.Equal(16, limiter.Limit);
    }

    [Fact]
    public async Task A_waiting_request_gives_up_when_cancelled()
    {
        var limiter = new AdaptiveConcurrencyLimiter(1);
        using var held = await limiter.AcquireAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => limiter.AcquireAsync(cancel.Token));
    }

    [Fact]
    public void Before_any_answer_the_server_may_be_a_quarter_hour_either_way()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        var clock = new ServerClock(time);
        Assert.Null(clock.Offset);
        var (from, to) = clock.ToServer(time.GetUtcNow(), time.GetUtcNow());
        Assert.Equal(time.GetUtcNow() - ServerClock.UnknownOffset, from);
        Assert.Equal(time.GetUtcNow() + ServerClock.UnknownOffset, to);
    }

    [Fact]
    public void Answers_narrow_the_offset_to_what_every_answer_allows()
    {
        var sent = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        var clock = new ServerClock(new FakeTimeProvider(sent));
        // The server runs 300.4 s ahead and answers in whole seconds; two answers of 200 ms round trip each.
        clock.Observe(sent, sent.AddMilliseconds(200), Truncate(sent.AddMilliseconds(100).AddSeconds(300.4)), TimeSpan.FromSeconds(1));
        var later = sent.AddSeconds(7.3);
        clock.Observe(later, later.AddMilliseconds(200), Truncate(later.AddMilliseconds(100).AddSeconds(300.4)), TimeSpan.FromSeconds(1));
        var (low, high) = clock.Offset!.Value;
        Assert.True(low <= TimeSpan.FromSeconds(300.4) && TimeSpan.FromSeconds(300.4) <= high, $"{low}..{high}");
        Assert.True(high - low <= TimeSpan.FromSeconds(1.2), $"the bounds should be about a second wide, not {high - low}");
    }

    [Fact]
    public void A_clock_that_jumped_is_trusted_from_its_latest_answer()
    {
        var sent = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        var clock = new ServerClock(new FakeTimeProvider(sent));
        clock.Observe(sent, sent.AddMilliseconds(100), sent, TimeSpan.FromSeconds(1));
        var later = sent.AddSeconds(5);
        clock.Observe(later, later.AddMilliseconds(100), later.AddHours(1), TimeSpan.FromSeconds(1));
        Assert.True(clock.Offset!.Value.Low >= TimeSpan.FromMinutes(59), "the disagreeing older answer no longer counts");
    }

    [Theory]
    [InlineData(7)]
    [InlineData(2)]
    [InlineData(45)]
    public void Every_slot_of_every_lane_is_a_distinct_expiry_that_reads_back_as_its_lane(int days)
    {
        var baseExpiry = TimeSpan.FromDays(days);
        var seen = new HashSet<long>();
        for (var lane = 0; lane < ExpiryLanes.LaneCount(baseExpiry); lane++)
        {
            var lanes = new ExpiryLanes(baseExpiry, lane);
            for (var slot = 0; slot < ExpiryLanes.SlotsPerLane; slot++)
            {
                var expiry = lanes.ForSlot(slot);
                Assert.True(seen.Add((long)expiry.TotalSeconds), $"lane {lane} slot {slot} repeats an expiry");
                Assert.Equal(lane, ExpiryLanes.LaneOf(baseExpiry, expiry + TimeSpan.FromSeconds(1)));       // a second of rounding
                Assert.True(expiry <= Validation.Rules.MaxLinkExpiry, "never beyond FinqLink's 45-day maximum");
                Assert.True((expiry - baseExpiry).Duration() <= TimeSpan.FromDays(1), "at most a day from what was asked");
            }
        }
    }

    [Fact]
    public void Lanes_in_use_are_tried_last()
    {
        var inUse = new HashSet<int> { 0, 1, 2 };
        var order = new List<int>(ExpiryLanes.InPreferredOrder(null, inUse, new Random(3)));
        Assert.Equal(ExpiryLanes.LaneCount(ExpiryLanes.DefaultLinkExpiry), order.Count);
        Assert.Equal(inUse, new HashSet<int>(order.GetRange(order.Count - 3, 3)));
    }

    private static DateTimeOffset Truncate(DateTimeOffset t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, t.Offset);
}
