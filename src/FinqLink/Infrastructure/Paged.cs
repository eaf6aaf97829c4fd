using System;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using FinqLink.Paging;

namespace FinqLink.PowerShell.Infrastructure
{
    /// <summary>
    /// Streams a keyset-paged list to the pipeline, honouring -First/-Skip/-IncludeTotalCount and showing progress. The
    /// pipeline thread takes the pages itself: a page already fetched (the next one is fetched while this one is written)
    /// is written at once, and only a page still on its way is waited for, with the pipeline thread writing -Verbose
    /// lines and, once the wait is long enough to notice, progress. No thread is borrowed to wait.
    /// </summary>
    internal static class Paged
    {
        /// <summary>Progress goes up only when a page keeps the pipeline waiting this long (see <see cref="QuietProgress"/>).</summary>
        private static readonly TimeSpan ShowProgressAfter = TimeSpan.FromSeconds(0.5);
        private static readonly TimeSpan PumpInterval = TimeSpan.FromMilliseconds(100);
        private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(2);

        /// <summary>
        /// MethodImplOptions.AggressiveOptimization (absent from netstandard2.0): the per-item loop is compiled optimised on
        /// its first call, so a first listing does not run it unoptimised while the runtime tiers it up.
        /// </summary>
        private const MethodImplOptions Optimized = (MethodImplOptions)512;

        /// <param name="open">Starts the list with the paging to use.</param>
        /// <param name="map">Makes an item's output object; null writes the item itself.</param>
        /// <param name="keep">Which items are written (and counted by -First/-Skip); null keeps all.</param>
        [MethodImpl(Optimized)]
        public static void Write<T>(FinqCmdlet cmdlet, string activity, int pageSize, Func<PageOptions, PagedList<T>> open, Func<T, object?>? map, Func<T, bool>? keep)
        {
            var paging = cmdlet.PagingParameters;
            var skip = paging?.Skip ?? 0UL;
            var first = paging?.First ?? ulong.MaxValue;
            if (first == 0) return;
            var needed = first == ulong.MaxValue ? ulong.MaxValue : skip + first;

            var progress = new QuietProgress(cmdlet, activity, "Waiting for the first page", ShowProgressAfter);
            PageInfo? lastPage = null;
            var options = new PageOptions
            {
                PageSize = (int)Math.Min((ulong)pageSize, Math.Min(needed, PageOptions.MaxPageSize)),
                // Without -First every page will be read, so the next one is fetched while this one goes down the pipeline.
                Prefetch = first == ulong.MaxValue,
                OnPage = page => lastPage = page,
            };
            ulong index = 0, written = 0;
            PageCursor<T>? cursor = null;
            bool abandoned = false, done = false;
            try
            {
                cursor = open(options).OpenPages();
                while (!done && Arrived(cmdlet, progress, cursor.MoveNextAsync(), ref abandoned))
                {
                    var items = cursor.Current;
                    if (lastPage is PageInfo page)
                        progress.Update(page.More ? $"{page.ItemsSoFar:N0} read; waiting for page {page.PageNumber + 1}" : $"{page.ItemsSoFar:N0} read");
                    for (var i = 0; i < items.Count; i++)
                    {
                        if (keep != null && !keep(items[i])) continue;
                        if (index++ < skip) continue;
                        cmdlet.WriteObject(map == null ? items[i] : map(items[i]));
                        if (++written >= first)
                        {
                            done = true;
                            break;
                        }
                    }
                }
            }
            finally
            {
                if (!abandoned) cursor?.Dispose();
                progress.Complete();
            }
            // The total is known only when the listing was read to its end (not cut by -First): exact then, unknown otherwise.
            if (paging?.IncludeTotalCount == true)
                cmdlet.WriteObject(paging.NewTotalCount(index, done ? 0.0 : 1.0));
        }

        /// <summary>
        /// Waits for the next page on the pipeline thread, writing what the request logged meanwhile. A signer or token
        /// script the request waits for runs now; -Verbose lines wait while the progress is up (writing them would make
        /// the host redraw it).
        /// </summary>
        private static bool Arrived(FinqCmdlet cmdlet, QuietProgress progress, Task<bool> next, ref bool abandoned)
        {
            if (!next.IsCompleted)
            {
                progress.BeforeOutput();
                while (!Ended(next, PumpInterval))
                {
                    cmdlet.Queue.RunCalls();
                    if (!progress.IsShowing) cmdlet.Queue.Drain();
                    progress.WhileQuiet();
                    if (cmdlet.StopToken.IsCancellationRequested && !Ended(next, StopGrace))
                    {
                        // Ctrl+C cancelled the request; a read that still does not end is left behind, never disposed under it.
                        abandoned = true;
                        throw new PipelineStoppedException();
                    }
                }
                progress.BeforeOutput();
            }
            // The request's -Verbose line was logged off the pipeline thread; write it before the page's items.
            cmdlet.Queue.Drain();
            return next.GetAwaiter().GetResult();
        }

        private static bool Ended(Task task, TimeSpan wait) => Task.WaitAny(new[] { task }, wait) >= 0;
    }
}
