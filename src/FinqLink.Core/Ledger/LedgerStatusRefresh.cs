using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Bulk;
using FinqLink.Http;
using FinqLink.Models;
using FinqLink.Options;
using FinqLink.Paging;
using FinqLink.Services;

namespace FinqLink.Ledger
{
    /// <summary>What a refresh did: the API requests it made and the statuses it recorded.</summary>
    public sealed class LedgerRefreshResult
    {
        public int Windows { get; internal set; }
        public int Pages { get; internal set; }
        /// <summary>Links the listing did not show, read one by one with links/get.</summary>
        public int ReadOneByOne { get; internal set; }
        public int Requests => Pages + ReadOneByOne;
        public int Changed { get; internal set; }
        public IReadOnlyDictionary<string, Exception> Unread { get; internal set; } = new Dictionary<string, Exception>();
        /// <summary>Links neither the listing showed nor links/get was asked about (beyond <see cref="LedgerStatusRefresh.MaxReadOneByOne"/>).</summary>
        public int NotListed { get; internal set; }
    }

    /// <summary>
    /// Brings the statuses of a journal's links up to date with links/list over the run's creation window: one request per
    /// 250 links (keyset paging), not one links/get per row. Runs made hours apart are listed as separate windows, so the
    /// links other runs made between them are not read. Links whose status can no longer change are not asked about. A
    /// link the listing misses (a clock far off) is read with links/get. Every change is recorded in the journal (by
    /// <see cref="JournalLedger.Rows"/>, as the row goes by).
    /// </summary>
    public static class LedgerStatusRefresh
    {
        /// <summary>Links created further apart than this are listed in separate windows.</summary>
        public static readonly TimeSpan WindowGap = TimeSpan.FromMinutes(15);
        private static readonly TimeSpan Margin = TimeSpan.FromSeconds(2);
        /// <summary>Links the listing missed that are read with links/get, at most: the "+ 2" of ceil(rows / 250) + 2.</summary>
        public const int MaxReadOneByOne = 2;

        /// <summary>
        /// Learns the current status of the index's open links; a change is noted on the row's slot, and recorded in the
        /// journal when <see cref="JournalLedger.Rows"/> writes the row.
        /// </summary>
        public static async Task<LedgerRefreshResult> RunAsync(LedgerIndex index, LinkService links, RequestOptions options, Func<DateTimeOffset> now,
            CancellationToken cancellationToken)
        {
            if (index == null) throw new ArgumentNullException(nameof(index));
            var result = new LedgerRefreshResult();
            var byLink = new Dictionary<LinkKey, LedgerSlot>(index.OpenLinks.Count());
            foreach (var slot in index.OpenLinks) byLink[slot.Link!.Value] = slot;
            if (byLink.Count == 0) return result;

            void learn(PaymentLink link)
            {
                if (!(LinkKey.Of(link.LinkId) is LinkKey key) || !byLink.TryGetValue(key, out var slot)) return;
                byLink.Remove(key);
                if (link.Status == null || (link.Status == slot.Status && link.ExpiresAt == slot.ExpiresAt)) return;
                result.Changed++;
                slot.StatusAt = slot.Status == link.Status && slot.StatusAt != null ? slot.StatusAt : now();
                slot.Status = link.Status;
                slot.ExpiresAt = link.ExpiresAt ?? slot.ExpiresAt;
                slot.Changed = true;
            }

            // Whole seconds are all the windows need (they are cut at whole seconds): a few thousand at most, not one per link.
            var seconds = new HashSet<long>(byLink.Values.Select(s => s.CreatedAt).Where(t => t != null).Select(t => t!.Value.UtcTicks - t.Value.UtcTicks % TimeSpan.TicksPerSecond));
            var windows = Windows(seconds.Select(t => new DateTimeOffset(t, TimeSpan.Zero)));
            result.Windows = windows.Count;
            var paging = new PageOptions { PageSize = PageOptions.MaxPageSize, OnPage = _ => result.Pages++ };
            await Task.Run(() =>
            {
                foreach (var (from, to) in windows)
                    foreach (var link in links.List(new LinkListOptions { CreatedFrom = from, CreatedTo = to }, paging, options, cancellationToken))
                    {
                        learn(link);
                        if (byLink.Count == 0) return;
                    }
            }, cancellationToken).ConfigureAwait(false);

            if (byLink.Count > 0)
            {
                // A few links/get keep the promised bound; more missing links mean the journal's times are far off (or the
                // journal is another client's): they keep the status the journal knows rather than cost a request each.
                var missing = byLink.Count;
                var asked = byLink.Keys.Take(MaxReadOneByOne).Select(k => k.ToString()).ToList();
                result.ReadOneByOne = asked.Count;
                var read = await ManyGets.ReadAsync(asked, (id, ct) => links.GetAsync(id, options, ct), cancellationToken).ConfigureAwait(false);
                foreach (var link in read.Found.Values) learn(link);
                result.Unread = read.Failed;
                result.NotListed = missing - asked.Count;
            }
            return result;
        }

        /// <summary>Creation times grouped into windows (whole seconds, with a margin for the journal's estimate), oldest first.</summary>
        internal static IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> Windows(IEnumerable<DateTimeOffset> createdAt)
        {
            var windows = new List<(DateTimeOffset From, DateTimeOffset To)>();
            foreach (var at in createdAt.OrderBy(t => t))
            {
                if (windows.Count > 0 && at - windows[windows.Count - 1].To <= WindowGap) windows[windows.Count - 1] = (windows[windows.Count - 1].From, at);
                else windows.Add((at, at));
            }
            return windows.Select(w => (Whole(w.From - Margin), Whole(w.To + Margin).AddSeconds(1))).ToList();
        }

        private static DateTimeOffset Whole(DateTimeOffset at) => new DateTimeOffset(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
    }
}
