using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Http;

namespace FinqLink.Paging
{
    /// <summary>
    /// Walks FinqLink's keyset pagination lazily: one request per page, the next only when the caller reads on, following
    /// <c>pagination.after</c> (or the last item's keyset) while <c>"more?"</c> is true. A loop, never recursion, and
    /// never more than two pages held at once.
    /// </summary>
    internal static class KeysetPager
    {
        public static IEnumerable<T> Enumerate<T>(Func<ApiCall, CancellationToken, Task<IPage<T>>> fetch, ApiCall call, PageOptions paging, CancellationToken cancellationToken)
        {
            Task<IPage<T>> Fetch(string? after)
            {
                var body = (JsonObject)call.Body.DeepClone();
                var pagination = new JsonObject { ["limit"] = paging.PageSize };
                if (after != null) pagination["after"] = after;
                body["pagination"] = pagination;
                return fetch(new ApiCall(call.Resource, body, call.Kind), cancellationToken);
            }

            long seen = 0;
            var pending = Fetch(null);
            for (var pageNumber = 1; ; pageNumber++)
            {
                paging.WaitFor?.Invoke(pending);
                var page = pending.GetAwaiter().GetResult();
                var items = page.Items;
                var more = page.Pagination?.More == true;
                var next = page.Pagination?.After;
                if (next == null && items.Count > 0 && items[items.Count - 1] is IKeyed last) next = last.Keyset;
                var goOn = more && items.Count > 0 && next != null;
                // From the second page on the caller has shown it reads past one page, so `Select-Object -First 5` still costs one call.
                var fetchAhead = paging.Prefetch && pageNumber >= 2;
                if (goOn && fetchAhead) pending = Fetch(next);
                seen += items.Count;
                paging.OnPage?.Invoke(new PageInfo(pageNumber, items.Count, seen, more));
                for (var i = 0; i < items.Count; i++) yield return items[i];
                if (!goOn) yield break;
                if (!fetchAhead) pending = Fetch(next);
            }
        }
    }
}
