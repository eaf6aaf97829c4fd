using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using FinqLink.Bulk;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace FinqLink.Core.Tests.Bulk;

/// <summary>
/// The bulk progress bar's pacing on a fake clock, so a loaded machine cannot make it flake: up within a second of a long
/// run's start and kept current; nothing for a quick run; every row held while the bar is up written, in order.
/// </summary>
public sealed class ProgressPacerTests
{
    private sealed record Seen(TimeSpan At, bool Up, string Status, int Percent);

    private sealed class Bar
    {
        public readonly FakeTimeProvider Time = new FakeTimeProvider();
        public readonly List<Seen> Seen = new List<Seen>();
        public readonly List<int> Written = new List<int>();
        public int InFlight;
        public readonly ProgressPacer Pacer;

        public Bar() => Pacer = new ProgressPacer(Time, () => InFlight, wanted: true,
            (status, percent) => Seen.Add(new Seen(Pacer!.Elapsed, true, status, percent)),
            () => Seen.Add(new Seen(Pacer!.Elapsed, false, "", 0)));

        /// <summary>Row <paramref name="n"/> ends <paramref name="after"/> after the last, the pipeline ticking every 50 ms meanwhile.</summary>
        public void Row(int n, TimeSpan after, bool failed = false)
        {
            for (var left = after; left > TimeSpan.Zero; left -= TimeSpan.FromMilliseconds(50))
            {
                Time.Advance(left < TimeSpan.FromMilliseconds(50) ? left : TimeSpan.FromMilliseconds(50));
                Pacer.Tick();
            }
            Pacer.Outcome(failed, () => Written.Add(n));
        }

        public string Story => string.Join("\n", Seen.Select(p => $"{p.At.TotalSeconds:0.00} s {(p.Up ? "up" : "down")} {p.Percent}% {p.Status}"));
    }

    [Fact]
    public void A_long_run_shows_progress_within_a_second_and_keeps_it_current()
    {
        // 32 rows, 4 in flight, one every 100 ms: 3.2 s; the input ends at row 24.
        var bar = new Bar { InFlight = 4 };
        for (var n = 1; n <= 32; n++)
        {
            if (n == 25) bar.Pacer.SetTotal(32);
            if (n > 28) bar.InFlight = 32 - n + 1;
            bar.Row(n, TimeSpan.FromMilliseconds(100), failed: n == 7);
        }
        bar.Pacer.Complete();

        var drawn = bar.Seen.Where(p => p.Up).ToList();
        Assert.True(drawn.Count >= 2, "the bar is redrawn as the run goes:\n" + bar.Story);
        Assert.True(drawn[0].At < TimeSpan.FromSeconds(1), "the bar is up within a second:\n" + bar.Story);
        Assert.All(drawn, p => Assert.Matches(@"^\d+(/32)? done, \d+ in flight, \d+ errors?, [\d.]+/s", p.Status));
        Assert.Contains(drawn, p => p.Status.Contains("4 in flight", StringComparison.Ordinal) && p.Status.Contains("1 error,", StringComparison.Ordinal));
        Assert.Contains(drawn, p => Regex.IsMatch(p.Status, @", (9\.\d|10)/s"));
        var done = drawn.Select(p => int.Parse(p.Status.Split('/', ' ')[0], CultureInfo.InvariantCulture)).ToList();
        Assert.True(done.Zip(done.Skip(1)).All(d => d.First <= d.Second) && done[^1] > done[0], "the count of rows done grows:\n" + bar.Story);
        var counted = drawn.Where(p => p.Status.Contains("/32 done", StringComparison.Ordinal)).ToList();
        Assert.True(counted.Count > 0, "the bar says how many rows there are once the input ends:\n" + bar.Story);
        Assert.All(counted, p => Assert.InRange(p.Percent, 1, 100));
        Assert.Contains(counted, p => p.Status.EndsWith(" left", StringComparison.Ordinal));
        Assert.False(bar.Seen[^1].Up, "the bar comes down at the end:\n" + bar.Story);
        Assert.Equal(Enumerable.Range(1, 32), bar.Written);
    }

    [Fact]
    public void A_quick_run_shows_nothing_and_holds_nothing()
    {
        var bar = new Bar { InFlight = 4 };
        for (var n = 1; n <= 5; n++)
        {
            bar.Row(n, TimeSpan.FromMilliseconds(80));
            Assert.Equal(n, bar.Written.Count);
        }
        bar.Pacer.Complete();
        Assert.Empty(bar.Seen);
    }

    [Fact]
    public void Rows_held_behind_the_bar_that_a_throwing_write_left_are_counted_not_lost()
    {
        var bar = new Bar { InFlight = 4 };
        for (var n = 1; n <= 6; n++) bar.Row(n, TimeSpan.FromMilliseconds(100));
        Assert.True(bar.Pacer.Held > 0, "rows are held while the bar is up:\n" + bar.Story);
        // A held write is cut short (-ErrorAction Stop): the three rows held behind it are counted as unwritten.
        bar.Pacer.Outcome(false, () => throw new InvalidOperationException("stop"));
        for (var n = 7; n <= 9; n++) bar.Row(n, TimeSpan.FromMilliseconds(100));
        Assert.Throws<InvalidOperationException>(() => bar.Pacer.Complete());
        Assert.Equal(Enumerable.Range(1, 6), bar.Written);
        Assert.Equal(3, bar.Pacer.Held);
    }
}
