using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Bulk;
using FinqLink.Models;
using Xunit;

namespace FinqLink.Core.Tests.Bulk;

/// <summary>The local slot registry alone: runs of one client never hold one slot, and let go of what they hold.</summary>
public sealed class SlotRegistryTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Week = ExpiryLanes.DefaultLinkExpiry;
    private readonly string _folder = Directory.CreateTempSubdirectory("finqlink-slots-").FullName;

    /// <summary>One seed for every run: chance alone would give them all the same lane.</summary>
    private LocalLaneRegistry Run(string client = "client-a") =>
        new("api.example " + client, _folder, new List<PaymentLink>(), new Random(5), log: null);

    private static async Task<List<SlotLease>> ReserveAll(ISlotRegistry registry) =>
        (await Task.WhenAll(Enumerable.Range(0, ExpiryLanes.SlotsPerLane).Select(_ => registry.ReserveAsync(Week, CancellationToken.None))).WaitAsync(Deadline)).ToList();

    [Fact]
    public async Task Two_runs_of_one_client_never_hold_one_slot()
    {
        using var first = Run();
        using var second = Run();
        var mine = await ReserveAll(first);
        var theirs = await ReserveAll(second);
        Assert.Equal(ExpiryLanes.SlotsPerLane, mine.Select(l => l.ExpiresInSeconds).Distinct().Count());
        Assert.Empty(mine.Select(l => l.ExpiresInSeconds).Intersect(theirs.Select(l => l.ExpiresInSeconds)));
        Assert.Equal(mine.Select(l => l.ExpiresInSeconds).ToHashSet(), first.HeldExpiries());
    }

    [Fact]
    public async Task A_row_waits_for_a_slot_while_all_are_held_and_gets_the_one_given_back()
    {
        using var run = Run();
        var held = await ReserveAll(run);
        var waiting = run.ReserveAsync(Week, CancellationToken.None);
        Assert.False(waiting.IsCompleted, "a 65th row got a slot while 64 were held");
        held[10].Dispose();
        held[10].Dispose();                   // given back once, however often disposed
        Assert.Equal(held[10].ExpiresInSeconds, (await waiting.WaitAsync(Deadline)).ExpiresInSeconds);
        Assert.False(run.ReserveAsync(Week, CancellationToken.None).IsCompleted);
        Assert.Equal(ExpiryLanes.SlotsPerLane, run.HeldExpiries().Count);
    }

    [Fact]
    public async Task A_disposed_run_lets_go_of_its_lane_and_another_client_is_never_kept_out()
    {
        var first = Run();
        var lane = (await first.ReserveAsync(Week, CancellationToken.None)).Lane;
        using (var otherClient = Run("client-b"))
            Assert.Equal(lane, (await otherClient.ReserveAsync(Week, CancellationToken.None)).Lane);
        using (var meanwhile = Run())
            Assert.NotEqual(lane, (await meanwhile.ReserveAsync(Week, CancellationToken.None)).Lane);
        first.Dispose();
        using var after = Run();
        Assert.Equal(lane, (await after.ReserveAsync(Week, CancellationToken.None)).Lane);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
