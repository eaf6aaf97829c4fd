using System;
using System.Collections;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace FinqLink.Paging
{
    /// <summary>
    /// A keyset-paged list, read as the caller goes: <c>await foreach</c> over its items, or <see cref="OpenPages"/> to take
    /// a page at a time (how the cmdlets pump it). Nothing is requested until it is read. A synchronous <c>foreach</c>
    /// also works, for callers that cannot await: it blocks the calling thread while a page is fetched.
    /// </summary>
    public sealed class PagedList<T> : IAsyncEnumerable<T>, IEnumerable<T>
    {
        private readonly Func<CancellationToken, IAsyncEnumerable<IReadOnlyList<T>>> _pages;
        private readonly CancellationToken _cancellationToken;

        internal PagedList(Func<CancellationToken, IAsyncEnumerable<IReadOnlyList<T>>> pages, CancellationToken cancellationToken)
        {
            _pages = pages;
            _cancellationToken = cancellationToken;
        }

        /// <summary>The pages, one request each; <see cref="PageCursor{T}.MoveNextAsync"/> answers a completed task when the page is already there.</summary>
        public PageCursor<T> OpenPages() => new PageCursor<T>(_pages(_cancellationToken).GetAsyncEnumerator(_cancellationToken));

        public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
            new ItemEnumerator(_pages(Linked(cancellationToken)).GetAsyncEnumerator(CancellationToken.None));

        public IEnumerator<T> GetEnumerator()
        {
            using var cursor = OpenPages();
            while (cursor.MoveNextAsync().GetAwaiter().GetResult())
            {
                var page = cursor.Current;
                for (var i = 0; i < page.Count; i++) yield return page[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        private CancellationToken Linked(CancellationToken other) =>
            !other.CanBeCanceled || other == _cancellationToken ? _cancellationToken
            : !_cancellationToken.CanBeCanceled ? other
            : CancellationTokenSource.CreateLinkedTokenSource(_cancellationToken, other).Token;

        /// <summary>Items from pages: a step within a page completes at once, with no state machine.</summary>
        private sealed class ItemEnumerator : IAsyncEnumerator<T>
        {
            private readonly IAsyncEnumerator<IReadOnlyList<T>> _pages;
            private IReadOnlyList<T>? _page;
            private int _index;

            public ItemEnumerator(IAsyncEnumerator<IReadOnlyList<T>> pages) => _pages = pages;

            public T Current { get; private set; } = default!;

            public ValueTask<bool> MoveNextAsync()
            {
                if (_page != null && ++_index < _page.Count)
                {
                    Current = _page[_index];
                    return new ValueTask<bool>(true);
                }
                return NextPageAsync();
            }

            private async ValueTask<bool> NextPageAsync()
            {
                while (await _pages.MoveNextAsync().ConfigureAwait(false))
                {
                    var page = _pages.Current;
                    if (page.Count == 0) continue;
                    _page = page;
                    _index = 0;
                    Current = page[0];
                    return true;
                }
                _page = null;
                return false;
            }

            public ValueTask DisposeAsync() => _pages.DisposeAsync();
        }
    }

    /// <summary>A paged list's pages, taken one at a time by a reader that waits in its own way (a PowerShell pipeline thread).</summary>
    public sealed class PageCursor<T> : IDisposable
    {
        private static readonly Task<bool> Yes = Task.FromResult(true), No = Task.FromResult(false);
        private readonly IAsyncEnumerator<IReadOnlyList<T>> _pages;
        private Task<bool>? _moving;

        internal PageCursor(IAsyncEnumerator<IReadOnlyList<T>> pages) => _pages = pages;

        public IReadOnlyList<T> Current => _pages.Current;

        /// <summary>The next page: a completed task when it is already there (prefetched), else one that completes when it arrives.</summary>
        public Task<bool> MoveNextAsync()
        {
            var next = _pages.MoveNextAsync();
            if (next.IsCompletedSuccessfully) return next.Result ? Yes : No;
            return _moving = next.AsTask();
        }

        /// <summary>Stops the walk. A page still being fetched (the reader gave up waiting) is left to the list's cancellation token, never disposed under it.</summary>
        public void Dispose()
        {
            if (_moving != null && !_moving.IsCompleted) return;
            var disposed = _pages.DisposeAsync();
            if (!disposed.IsCompleted) disposed.AsTask().GetAwaiter().GetResult();
        }
    }
}
