using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using FinqLink.Paging;

namespace FinqLink.PowerShell.Infrastructure
{
    /// <summary>Streams a keyset-paged list to the pipeline, honouring -First/-Skip/-IncludeTotalCount and showing progress.</summary>
    internal static class Paged
    {
        /// <summary>Progress goes up only when a page keeps the pipeline waiting this long (see <see cref="QuietProgress"/>).</summary>
        private static readonly TimeSpan ShowProgressAfter = TimeSpan.FromSeconds(0.5);

        /// <summary>
        /// MethodImplOptions.AggressiveOptimization (absent from netstandard2.0): the per-item loop is compiled optimised on
        /// its first call, so a first listing does not run it unoptimised while the runtime tiers it up.
        /// </summary>
        private const MethodImplOptions Optimized = (MethodImplOptions)512;

        /// <param name="open">Starts the list with the paging to use.</param>
        [MethodImpl(Optimized)]
        public static void Write<T>(FinqCmdlet cmdlet, string activity, int pageSize, Func<PageOptions, IEnumerable<T>> open)
        {
            var paging = cmdlet.PagingParameters;
            var skip = paging?.Skip ?? 0UL;
            var first = paging?.First ?? ulong.MaxValue;
            if (first == 0) return;
            var needed = first == ulong.MaxValue ? ulong.MaxValue : skip + first;

            var progress = new QuietProgress(cmdlet, activity, "Waiting for the first page", ShowProgressAfter);
            var reader = new PageReader<T>(cmdlet, progress);
            var options = new PageOptions
            {
                PageSize = (int)Math.Min((ulong)pageSize, Math.Min(needed, PageOptions.MaxPageSize)),
                // Without -First every page will be read, so the next one is fetched while this one goes down the pipeline.
                Prefetch = first == ulong.MaxValue,
                OnPage = reader.OnPage,
            };
            ulong index = 0, written = 0;
            try
            {
                reader.Start(open(options));
                while (reader.MoveNext())
                {
                    if (index++ < skip) continue;
                    cmdlet.WriteObject(reader.Current);
                    if (++written >= first) break;
                }
            }
            finally
            {
                reader.Dispose();
                progress.Complete();
            }
            if (paging?.IncludeTotalCount == true)
                cmdlet.WriteObject(paging.NewTotalCount(index, 0.0));
        }

        /// <summary>
        /// Reads a paged list for the pipeline thread. Items of a page already read come straight from memory; the read that
        /// waits for the next page runs on another thread while the pipeline thread writes -Verbose lines and, once the wait
        /// is long enough to notice, progress. Nothing is written while that read runs, so the progress never shares the
        /// screen with output.
        /// </summary>
        private sealed class PageReader<T> : IDisposable
        {
            private static readonly TimeSpan PumpInterval = TimeSpan.FromMilliseconds(100);
            private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(2);

            private readonly FinqCmdlet _cmdlet;
            private readonly QuietProgress _progress;
            private IEnumerator<T>? _items;
            private volatile PageInfo? _lastPage;
            private int _leftOnPage;
            private bool _abandoned;

            public PageReader(FinqCmdlet cmdlet, QuietProgress progress)
            {
                _cmdlet = cmdlet;
                _progress = progress;
            }

            public T Current => _items!.Current;

            public void Start(IEnumerable<T> items) => _items = items.GetEnumerator();

            /// <summary>The pager's callback, on whichever thread read the page.</summary>
            public void OnPage(PageInfo page) => _lastPage = page;

            [MethodImpl(Optimized)]
            public bool MoveNext()
            {
                if (_leftOnPage > 0)
                {
                    _leftOnPage--;
                    return _items!.MoveNext();
                }
                var more = WaitForNextPage();
                var page = _lastPage;
                if (more && page != null)
                {
                    _leftOnPage = page.ItemsOnPage - 1;
                    _progress.Update(page.More ? $"{page.ItemsSoFar:N0} read; waiting for page {page.PageNumber + 1}" : $"{page.ItemsSoFar:N0} read");
                }
                return more;
            }

            private bool WaitForNextPage()
            {
                _progress.BeforeOutput();
                var read = Task.Run(() => _items!.MoveNext());
                while (!Ended(read, PumpInterval))
                {
                    // A signer or token script the read waits for runs now; -Verbose lines wait while the progress is up:
                    // writing them would make the host redraw it.
                    _cmdlet.Queue.RunCalls();
                    if (!_progress.IsShowing) _cmdlet.Queue.Drain();
                    _progress.WhileQuiet();
                    if (_cmdlet.StopToken.IsCancellationRequested && !Ended(read, StopGrace))
                    {
                        // Ctrl+C cancelled the request; a read that still does not end is left behind, never disposed under it.
                        _abandoned = true;
                        throw new PipelineStoppedException();
                    }
                }
                _progress.BeforeOutput();
                // The request's -Verbose line was logged off the pipeline thread; write it before the page's items.
                _cmdlet.Queue.Drain();
                return read.GetAwaiter().GetResult();
            }

            private static bool Ended(Task task, TimeSpan wait) => Task.WaitAny(new[] { task }, wait) >= 0;

            public void Dispose()
            {
                if (!_abandoned) _items?.Dispose();
            }
        }
    }
}
