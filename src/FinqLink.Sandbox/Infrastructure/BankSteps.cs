using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;

namespace FinqLink.Sandbox.Infrastructure;

/// <summary>Runs a bank-side sequence of state changes in the background, one step per delay, until a step declines or the sandbox stops.</summary>
public sealed class BankSteps
{
    private readonly TimeProvider _time;
    private readonly CancellationToken _stopping;

    public BankSteps(TimeProvider time, IHostApplicationLifetime lifetime)
    {
        _time = time;
        _stopping = lifetime.ApplicationStopping;
    }

    private int _running;

    /// <summary>Sequences under way: at 0, no bank-side status change is pending, so a test may check that none came.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <param name="steps">Each returns false when the object moved on meanwhile (another flow, the control API): the sequence then ends.</param>
    public void Run(IEnumerable<Func<bool>> steps, Func<TimeSpan> delay)
    {
        // Counted before the task starts, so a sequence is never pending without being counted.
        Interlocked.Increment(ref _running);
        _ = Task.Run(async () =>
        {
            try
            {
                foreach (var step in steps)
                {
                    await Task.Delay(Max(delay(), TimeSpan.Zero), _time, _stopping).ConfigureAwait(false);
                    if (!step()) return;
                }
            }
            catch (OperationCanceledException) { }
            finally { Interlocked.Decrement(ref _running); }
        });
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
