using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Bulk;
using Xunit;

namespace FinqLink.Core.Tests.Bulk;

/// <summary>The ordered output alone, with plain tasks: items leave in the order their places were taken.</summary>
public sealed class OrderedOutputTests
{
    [Fact]
    public async Task Items_finished_in_any_order_are_handed_on_in_the_order_taken()
    {
        var handed = new ConcurrentQueue<int>();
        using var output = new OrderedOutput<int>(100, handed.Enqueue);
        var places = new List<long>();
        for (var i = 0; i < 50; i++) places.Add(await output.TakeAsync(CancellationToken.None));
        // Finish them from 50 tasks at once, in a shuffled order.
        var order = places.OrderBy(p => (p * 7919) % 50).ToList();
        await Task.WhenAll(order.Select(p => Task.Run(() => output.Put(p, (int)p))));
        Assert.Equal(Enumerable.Range(0, 50), handed);
    }

    [Fact]
    public async Task A_late_first_item_holds_back_the_rest_until_it_is_put()
    {
        var handed = new List<string>();
        using var output = new OrderedOutput<string>(10, handed.Add);
        var first = await output.TakeAsync(CancellationToken.None);
        var second = await output.TakeAsync(CancellationToken.None);
        output.Put(second, "second");
        Assert.Empty(handed);
        output.Put(first, "first");
        Assert.Equal(new[] { "first", "second" }, handed);
    }

    [Fact]
    public async Task Taking_waits_while_the_window_is_full_and_goes_on_once_the_oldest_leaves()
    {
        using var output = new OrderedOutput<long>(3, _ => { });
        var taken = new List<long>();
        for (var i = 0; i < 3; i++) taken.Add(await output.TakeAsync(CancellationToken.None));
        var fourth = output.TakeAsync(CancellationToken.None);
        Assert.False(fourth.IsCompleted, "a fourth place was given while three were not handed on");

        output.Put(taken[2], 2);              // finished, but waits behind the two before it: no place is free yet
        Assert.False(fourth.IsCompleted);
        output.Put(taken[0], 0);              // the oldest leaves: one place
        Assert.Equal(3, await fourth.WaitAsync(System.TimeSpan.FromSeconds(10)));
    }
}
