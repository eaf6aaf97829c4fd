using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Http;
using FinqLink.Requests;

namespace FinqLink.Paging
{
    /// <summary>
    /// Walks FinqLink's keyset pagination a page at a time: one request per page, the next only when the reader asks on
    /// (or, with <see cref="PageOptions.Prefetch"/>, from the second page on, while the reader reads this one), following
    /// <c>pagination.after</c> (or the last item's keyset) while <c>"more?"</c> is true. Never more than two pages held.
    /// </summary>
    internal static class KeysetPager
    {
        public static async IAsyncEnumerable<IReadOnlyList<T>> Pages<T>(Func<ApiCall, CancellationToken, Task<IPage<T>>> fetch, ApiCall call, PageOptions paging,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            Task<IPage<T>> Fetch(string? after) =>
                fetch(new ApiCall(call.Resource, call.Body.ForPage(new PageRequest(paging.PageSize, after)), call.Kind), cancellationToken);

            // A page fetched ahead is started on the thread pool: building and sending the request is off the reader's thread
            // (a PowerShell pipeline thread, which writes every item and is what a listing waits for).
            Task<IPage<T>> FetchAhead(string after) => Task.Run(() => Fetch(after));

            long seen = 0;
            var pending = Fetch(null);
            for (var pageNumber = 1; ; pageNumber++)
            {
                var page = await pending.ConfigureAwait(false);
                var items = page.Items;
                var more = page.Pagination?.More == true;
                var next = page.Pagination?.After;
                if (next == null && items.Count > 0 && items[items.Count - 1] is IKeyed last) next = last.Keyset;
                var goOn = more && items.Count > 0 && next != null;
                // From the second page on the reader has shown it reads past one page, so `Select-Object -First 5` still costs one call.
                var fetchAhead = paging.Prefetch && pageNumber >= 2;
                if (goOn && fetchAhead) pending = FetchAhead(next!);
                seen += items.Count;
                paging.OnPage?.Invoke(new PageInfo(pageNumber, items.Count, seen, more));
                yield return items;
                if (!goOn) yield break;
                if (!fetchAhead) pending = Fetch(next);
            }
        }
    }
}
