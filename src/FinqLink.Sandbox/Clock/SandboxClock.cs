using System;
using System.Threading;

namespace FinqLink.Sandbox.Clock;

/// <summary>
/// The sandbox's time, in the manner of Stripe's test clocks: real time plus an offset that a test may set (to play a
/// server whose clock is skewed against the client's) or grow (to jump ahead past an expiry, a validity end or a
/// cooldown). Everything that stamps or compares times reads this clock; delays (bank steps, fault latency, webhook
/// retries) still run in real time, so moving the clock never makes a pending step happen sooner.
/// </summary>
public sealed class SandboxClock : TimeProvider
{
    public static readonly TimeSpan MaxOffset = TimeSpan.FromDays(3650);
    private readonly object _gate = new();
    private long _offsetTicks;

    public SandboxClock(TimeSpan offset = default) => Offset = offset;

    public TimeSpan Offset
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
        set
        {
            if (value.Duration() > MaxOffset) throw new ArgumentOutOfRangeException(nameof(value), $"The clock offset must be within ±{MaxOffset.TotalDays:0} days.");
            Interlocked.Exchange(ref _offsetTicks, value.Ticks);
        }
    }

    /// <summary>Jumps forward by <paramref name="by"/> (never back: set <see cref="Offset"/> for that); returns the new offset.</summary>
    public TimeSpan Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(by), "The clock only advances; set the offset to go back.");
        lock (_gate) return Offset = Offset + by;
    }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
