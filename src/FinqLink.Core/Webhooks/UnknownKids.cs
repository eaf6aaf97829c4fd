using System;
using System.Collections.Generic;
using System.Linq;

namespace FinqLink.Webhooks
{
    /// <summary>Kids a fresh JWKS lacked, remembered for a while so a forged kid sent again costs no fetch. Thread-safe and bounded.</summary>
    internal sealed class UnknownKids
    {
        private const int Capacity = 1024;
        private readonly TimeSpan _memory;
        private readonly Dictionary<string, DateTimeOffset> _seenAt = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);

        public UnknownKids(TimeSpan memory) => _memory = memory;

        public bool Contains(string kid, DateTimeOffset now)
        {
            lock (_seenAt) return _seenAt.TryGetValue(kid, out var at) && now - at < _memory;
        }

        public void Add(string kid, DateTimeOffset now)
        {
            lock (_seenAt)
            {
                if (_seenAt.Count >= Capacity)
                    foreach (var expired in _seenAt.Where(entry => now - entry.Value >= _memory).Select(entry => entry.Key).ToList()) _seenAt.Remove(expired);
                // Still full: a flood of distinct kids. Forgetting them costs at most the rate-limited refetches.
                if (_seenAt.Count >= Capacity) _seenAt.Clear();
                _seenAt[kid] = now;
            }
        }
    }
}
