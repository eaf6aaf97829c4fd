using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Http;

namespace FinqLink.Paging
{
    /// <summary>One page as the pager saw it, for progress reporting.</summary>
    public sealed class PageInfo
    {
        public PageInfo(int pageNumber, int itemsOnPage, long itemsSoFar, bool more)
        {
            PageNumber = pageNumber;
            ItemsOnPage = itemsOnPage;
            ItemsSoFar = itemsSoFar;
            More = more;
        }

        public int PageNumber { get; }
        public int ItemsOnPage { get; }
        public long ItemsSoFar { get; }
        public bool More { get; }
    }

    /// <summary>
    /// Walks FinqLink's keyset pagination lazily: one request per page, the next only when the caller asks for
    /// more items, following <c>pagination.after</c> (or the last item's <c>keyset</c>) while <c>"more?"</c> is true.
    /// </summary>
    public static class KeysetPager
    {
        public const int MaxPageSize = 250;

        /// <param name="prefetch">From the second page on, request the next page while the caller still reads this one.</param>
        internal static IEnumerable<T> Enumerate<T>(
            FinqLinkClient client, string resource, JsonObject body, string itemsProperty, int pageSize,
            RequestOptions options, Func<JsonElement, T> read, Action<PageInfo>? onPage, CancellationToken cancellationToken, bool prefetch = false)
        {
            if (pageSize < 1 || pageSize > MaxPageSize) throw new ArgumentOutOfRangeException(nameof(pageSize), $"PageSize must be between 1 and {MaxPageSize}.");
            Task<JsonElement> Fetch(string? after)
            {
                var request = (JsonObject)body.DeepClone();
                var pagination = new JsonObject { ["limit"] = pageSize };
                if (after != null) pagination["after"] = after;
                request["pagination"] = pagination;
                return client.PostAsync(resource, request, options, cancellationToken);
            }

            long seen = 0;
            var pending = Fetch(null);
            for (var page = 1; ; page++)
            {
                var json = pending.GetAwaiter().GetResult();
                var items = json.TryGetProperty(itemsProperty, out var array) && array.ValueKind == JsonValueKind.Array ? array : default;
                var count = items.ValueKind == JsonValueKind.Array ? items.GetArrayLength() : 0;
                var (more, next) = ReadPagination(json);
                if (next == null && count > 0 && items[count - 1].TryGetProperty("keyset", out var keyset) && keyset.ValueKind == JsonValueKind.String)
                    next = keyset.GetString();
                var goOn = more && count > 0 && next != null;
                // From the second page on the caller has shown it reads past one page, so `Select-Object -First 5` still costs one call.
                var fetchAhead = prefetch && page >= 2;
                if (goOn && fetchAhead) pending = Fetch(next);
                seen += count;
                onPage?.Invoke(new PageInfo(page, count, seen, more));
                if (count > 0)
                    foreach (var item in items.EnumerateArray()) yield return read(item);
                if (!goOn) yield break;
                if (!fetchAhead) pending = Fetch(next);
            }
        }

        private static (bool More, string? After) ReadPagination(JsonElement json)
        {
            if (!json.TryGetProperty("pagination", out var pagination) || pagination.ValueKind != JsonValueKind.Object) return (false, null);
            var more = pagination.TryGetProperty("more?", out var m) && m.ValueKind == JsonValueKind.True;
            var after = pagination.TryGetProperty("after", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
            return (more, after);
        }
    }
}
