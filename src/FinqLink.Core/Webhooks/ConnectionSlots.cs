using System.Collections.Generic;

namespace FinqLink.Webhooks
{
    /// <summary>
    /// The connections the listener holds, at most <c>capacity</c>, each counted until its socket is really closed.
    /// At the cap a newcomer takes the place of, in this order: the oldest connection draining after its answer, the
    /// oldest still sending its headers (a genuine sender sends them at once, so that is the slowest loris), the oldest
    /// still sending its body. Verified webhooks waiting for the pipeline are never closed here: they are bounded by
    /// <see cref="VerifiedQueue"/>. When every place holds one, the newcomer is the one closed.
    /// </summary>
    internal sealed class ConnectionSlots
    {
        private static readonly ConnectionPhase[] EvictionOrder = { ConnectionPhase.Draining, ConnectionPhase.Headers, ConnectionPhase.Body };
        private readonly object _gate = new object();
        private readonly LinkedList<WebhookConnection> _open = new LinkedList<WebhookConnection>();
        private readonly int _capacity;

        public ConnectionSlots(int capacity) => _capacity = capacity;

        public int Count { get { lock (_gate) return _open.Count; } }

        public int CountIn(ConnectionPhase phase)
        {
            lock (_gate)
            {
                var count = 0;
                foreach (var connection in _open) if (connection.Phase == phase) count++;
                return count;
            }
        }

        /// <summary>Counts the newcomer. Returns whether it was taken and the connection to close to make room, if any.</summary>
        public (bool Taken, WebhookConnection? Evicted) TryAdd(WebhookConnection connection)
        {
            lock (_gate)
            {
                WebhookConnection? evict = null;
                if (_open.Count >= _capacity)
                {
                    evict = OldestEvictable();
                    if (evict == null) return (false, null);
                    _open.Remove(evict);
                }
                _open.AddLast(connection);
                return (true, evict);
            }
        }

        public void Remove(WebhookConnection connection)
        {
            lock (_gate) _open.Remove(connection);
        }

        public WebhookConnection[] ToArray()
        {
            lock (_gate) return new List<WebhookConnection>(_open).ToArray();
        }

        private WebhookConnection? OldestEvictable()
        {
            foreach (var phase in EvictionOrder)
                for (var node = _open.First; node != null; node = node.Next)
                    if (node.Value.Phase == phase) return node.Value;
            return null;
        }
    }
}
