using System;

namespace FinqLink.Paging
{
    /// <summary>How a paged list is read: the page size, whether to fetch ahead, and a callback per page (progress).</summary>
    public sealed class PageOptions
    {
        public const int MaxPageSize = 250;
        public const int DefaultPageSize = 100;

        private int _pageSize = DefaultPageSize;

        /// <summary>Items per request, 1–250 (FinqLink's limit).</summary>
        public int PageSize
        {
            get => _pageSize;
            set
            {
                if (value < 1 || value > MaxPageSize) throw new ArgumentOutOfRangeException(nameof(PageSize), $"PageSize must be between 1 and {MaxPageSize}.");
                _pageSize = value;
            }
        }

        /// <summary>From the second page on, request the next page while the caller still reads this one.</summary>
        public bool Prefetch { get; set; }

        public Action<PageInfo>? OnPage { get; set; }
    }

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
}
