using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace FinqLink.Sandbox.Infrastructure;

/// <summary>Runs a bank-side sequence of state changes in the background, one step per delay.</summary>
public static class Steps
{
    public static void RunInBackground(IEnumerable<Func<bool>> steps, Func<TimeSpan> delay, CancellationToken stopping)
    {
        _ = Task.Run(async () =>
        {
            foreach (var step in steps)
            {
                await Task.Delay(delay(), stopping).ConfigureAwait(false);
                if (!step()) return;
            }
        }, stopping);
    }
}
