using System;
using System.Threading;
using System.Threading.Tasks;

namespace FinqLink.Webhooks
{
    /// <summary>
    /// FinqLink's JWKS as last fetched, with bounded staleness: a key is trusted only from a copy fetched at most
    /// <see cref="MaxAge"/> ago (an older copy is fetched again first), and a kid the copy lacks is looked up in a new
    /// fetch, which also drops the keys FinqLink removed. So a removed key stops verifying within <see cref="MaxAge"/>,
    /// and at once when a new key appears.
    /// <para>
    /// Kid floods cost little and never slow known kids, which are answered from the copy without a lock or a wait.
    /// Concurrent fetches are one download (single-flight). A kid a fetch lacked is remembered as unknown for
    /// <see cref="UnknownKidMemory"/>. After a fetch made for an unknown kid that it did not hold, other unknown kids are
    /// answered from that copy for <see cref="UnknownKidRefetchInterval"/>: forged kids cause at most one fetch per
    /// interval, for the whole cache, while a genuine rotation (its fetch finds the new kid) holds nothing up. A failed
    /// fetch is not retried within the interval either.
    /// </para>
    /// </summary>
    public sealed class WebhookKeyCache
    {
        public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);
        public static readonly TimeSpan UnknownKidRefetchInterval = TimeSpan.FromSeconds(1);
        public static readonly TimeSpan UnknownKidMemory = TimeSpan.FromMinutes(1);

        private readonly Func<CancellationToken, Task<string>> _fetchJwks;
        private readonly Func<DateTimeOffset> _now;
        private readonly UnknownKids _unknownKids = new UnknownKids(UnknownKidMemory);
        private readonly object _gate = new object();
        private volatile Copy? _copy;
        private Task<Copy>? _fetching;
        private Task<Copy>? _failed;
        private DateTimeOffset _failedAt;
        private int _fetches;

        /// <param name="fetchJwks">Downloads the JWKS document; called without a caller's token, as one download serves every waiting caller.</param>
        /// <param name="now">The clock (tests pass their own).</param>
        public WebhookKeyCache(Func<CancellationToken, Task<string>> fetchJwks, Func<DateTimeOffset>? now = null)
        {
            _fetchJwks = fetchJwks;
            _now = now ?? (() => DateTimeOffset.UtcNow);
        }

        /// <summary>How many times a JWKS download was started (for tests and diagnostics).</summary>
        public int Fetches => Volatile.Read(ref _fetches);

        /// <summary>The keys: the cached copy while it is fresh, else (or with <paramref name="refresh"/>) fetched again.</summary>
        public async Task<WebhookKeySet> GetAsync(bool refresh, CancellationToken cancellationToken)
        {
            var copy = _copy;
            if (refresh || copy == null || !IsFresh(copy)) copy = await WithCancellation(Fetch(), cancellationToken).ConfigureAwait(false);
            return copy.Keys;
        }

        /// <summary>The key for <paramref name="kid"/> in the current JWKS, or null if FinqLink does not publish it.</summary>
        public async Task<WebhookKey?> FindAsync(string kid, CancellationToken cancellationToken)
        {
            var copy = _copy;
            if (copy != null && IsFresh(copy))
            {
                var cached = copy.Keys.Find(kid);
                if (cached != null || _unknownKids.Contains(kid, _now())) return cached;
                var fetching = FetchForUnknownKid(kid);
                if (fetching == null) return _copy!.Keys.Find(kid);
                copy = await WithCancellation(fetching, cancellationToken).ConfigureAwait(false);
            }
            else copy = await WithCancellation(Fetch(), cancellationToken).ConfigureAwait(false);

            var key = copy.Keys.Find(kid);
            if (key == null) _unknownKids.Add(kid, _now());
            return key;
        }

        private bool IsFresh(Copy copy) => _now() - copy.FetchedAt <= MaxAge;

        /// <summary>The download in progress, else a new one, else (within the interval after a failure) that failure.</summary>
        private Task<Copy> Fetch()
        {
            var now = _now();
            lock (_gate)
            {
                if (_fetching != null) return _fetching;
                if (_failed != null && now - _failedAt < UnknownKidRefetchInterval) return _failed;
                return _fetching = DownloadAsync(null);
            }
        }

        /// <summary>The download to wait for, or null when <paramref name="kid"/> must be answered from the latest copy.</summary>
        private Task<Copy>? FetchForUnknownKid(string kid)
        {
            var now = _now();
            lock (_gate)
            {
                if (_fetching != null) return _fetching;
                var latest = _copy!;
                var mayFetch = latest.Keys.Find(kid) == null
                    && (_failed == null || now - _failedAt >= UnknownKidRefetchInterval)
                    && (latest.FruitlessAt == null || now - latest.FruitlessAt >= UnknownKidRefetchInterval);
                return mayFetch ? _fetching = DownloadAsync(kid) : null;
            }
        }

        private async Task<Copy> DownloadAsync(string? newKid)
        {
            await Task.Yield();   // run the fetcher outside the caller's lock
            var startedAt = _now();
            Interlocked.Increment(ref _fetches);
            try
            {
                var keys = WebhookKeySet.Parse(await _fetchJwks(CancellationToken.None).ConfigureAwait(false));
                var copy = new Copy(keys, startedAt, newKid != null && keys.Find(newKid) == null ? _now() : (DateTimeOffset?)null);
                lock (_gate)
                {
                    _copy = copy;
                    _failed = null;
                    _fetching = null;
                }
                return copy;
            }
            catch (Exception e)
            {
                var failed = Task.FromException<Copy>(e);
                lock (_gate)
                {
                    _failed = failed;
                    _failedAt = _now();
                    _fetching = null;
                }
                throw;
            }
        }

        private static async Task<T> WithCancellation<T>(Task<T> task, CancellationToken cancellationToken)
        {
            if (!cancellationToken.CanBeCanceled || task.IsCompleted) return await task.ConfigureAwait(false);
            var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
                if (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false) != task) throw new OperationCanceledException(cancellationToken);
            return await task.ConfigureAwait(false);
        }

        private sealed class Copy
        {
            public Copy(WebhookKeySet keys, DateTimeOffset fetchedAt, DateTimeOffset? fruitlessAt)
            {
                Keys = keys;
                FetchedAt = fetchedAt;
                FruitlessAt = fruitlessAt;
            }

            public WebhookKeySet Keys { get; }
            /// <summary>When the download started: what staleness is measured from.</summary>
            public DateTimeOffset FetchedAt { get; }
            /// <summary>When a download made for an unknown kid ended without it, which starts the refetch interval; else null.</summary>
            public DateTimeOffset? FruitlessAt { get; }
        }
    }
}
