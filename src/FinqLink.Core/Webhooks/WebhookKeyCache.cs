using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace FinqLink.Webhooks
{
    /// <summary>
    /// The JWKS as last fetched, refetched once when a webhook names a kid it lacks (keys rotate). A kid still missing
    /// after a refetch is remembered for a while, so forged kids cannot turn each webhook into a JWKS download.
    /// </summary>
    public sealed class WebhookKeyCache
    {
        private static readonly TimeSpan MaxAge = TimeSpan.FromHours(1);
        private static readonly TimeSpan UnknownKidMemory = TimeSpan.FromMinutes(1);
        private static readonly TimeSpan MinRefetchInterval = TimeSpan.FromSeconds(1);

        private readonly Func<CancellationToken, Task<string>> _fetch;
        private readonly Func<DateTimeOffset> _now;
        private readonly SemaphoreSlim _gate = new SemaphoreSlim(1, 1);
        private readonly Dictionary<string, DateTimeOffset> _unknownKids = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        private WebhookKeySet? _keys;
        private DateTimeOffset _fetchedAt;

        public WebhookKeyCache(Func<CancellationToken, Task<string>> fetch, Func<DateTimeOffset>? now = null)
        {
            _fetch = fetch;
            _now = now ?? (() => DateTimeOffset.UtcNow);
        }

        /// <summary>How many times the JWKS was downloaded (for tests and diagnostics).</summary>
        public int Fetches { get; private set; }

        public async Task<WebhookKeySet> GetAsync(bool refresh, CancellationToken cancellationToken)
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var now = _now();
                if (_keys == null || now - _fetchedAt > MaxAge || refresh)
                {
                    var wait = MinRefetchInterval - (now - _fetchedAt);
                    if (_keys != null && wait > TimeSpan.Zero) await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                    _keys = WebhookKeySet.Parse(await _fetch(cancellationToken).ConfigureAwait(false));
                    _fetchedAt = _now();
                    Fetches++;
                }
                return _keys;
            }
            finally { _gate.Release(); }
        }

        /// <summary>The key for <paramref name="kid"/>, refetching once if it is new to us; null if FinqLink does not publish it.</summary>
        public async Task<WebhookKey?> FindAsync(string kid, CancellationToken cancellationToken)
        {
            var key = (await GetAsync(false, cancellationToken).ConfigureAwait(false)).Find(kid);
            if (key != null || RecentlyUnknown(kid)) return key;
            key = (await GetAsync(true, cancellationToken).ConfigureAwait(false)).Find(kid);
            if (key == null) lock (_unknownKids) _unknownKids[kid] = _now();
            return key;
        }

        private bool RecentlyUnknown(string kid)
        {
            lock (_unknownKids)
            {
                if (_unknownKids.Count > 1000) _unknownKids.Clear();
                return _unknownKids.TryGetValue(kid, out var at) && _now() - at < UnknownKidMemory;
            }
        }
    }
}
