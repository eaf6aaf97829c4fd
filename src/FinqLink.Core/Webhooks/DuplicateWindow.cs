using System;
using System.Collections.Generic;
using System.Security.Cryptography;

namespace FinqLink.Webhooks
{
    /// <summary>
    /// Remembers which webhooks were taken, so a redelivery or a replay of the same signed body can be told apart.
    /// FinqLink's webhooks carry no event id, so the body's SHA-256 is the identity. A store that survives restarts
    /// (a journal) implements this too.
    /// </summary>
    public interface IWebhookDuplicateStore
    {
        /// <summary>True when a webhook with this body was taken within the window.</summary>
        bool WasTaken(string bodyDigest);

        /// <summary>Records that the pipeline took a webhook with this body (it was answered 204).</summary>
        void RememberTaken(string bodyDigest);
    }

    /// <summary>The in-memory store: a sliding window in time, bounded in count (the oldest are forgotten first).</summary>
    public sealed class DuplicateWindow : IWebhookDuplicateStore
    {
        public static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(24);
        public const int DefaultCapacity = 100_000;

        private readonly object _gate = new object();
        private readonly Dictionary<string, DateTimeOffset> _takenAt = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        private readonly Queue<KeyValuePair<string, DateTimeOffset>> _order = new Queue<KeyValuePair<string, DateTimeOffset>>();
        private readonly TimeProvider _time;

        public DuplicateWindow(TimeSpan window, int capacity) : this(window, capacity, TimeProvider.System) { }

        /// <summary>
        /// With a clock of the caller's. Internal: the cmdlets live in PowerShell's default load context, which cannot
        /// resolve Microsoft.Bcl.TimeProvider (it loads only in the module's own context), so no public signature they
        /// call may name TimeProvider.
        /// </summary>
        internal DuplicateWindow(TimeSpan window, int capacity, TimeProvider time)
        {
            if (window < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(window));
            if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity));
            Window = window;
            Capacity = capacity;
            _time = time;
        }

        public TimeSpan Window { get; }
        public int Capacity { get; }

        public int Count { get { lock (_gate) { Expire(); return _takenAt.Count; } } }

        public static string Digest(byte[] body)
        {
            using var sha = SHA256.Create();
            return Convert.ToBase64String(sha.ComputeHash(body));
        }

        public bool WasTaken(string bodyDigest)
        {
            lock (_gate)
            {
                Expire();
                return _takenAt.ContainsKey(bodyDigest);
            }
        }

        public void RememberTaken(string bodyDigest)
        {
            if (Window == TimeSpan.Zero) return;
            lock (_gate)
            {
                var now = _time.GetUtcNow();
                _takenAt[bodyDigest] = now;
                _order.Enqueue(new KeyValuePair<string, DateTimeOffset>(bodyDigest, now));
                Expire();
            }
        }

        /// <summary>Drops what left the window, then the oldest beyond the capacity. A digest taken again keeps its newest time.</summary>
        private void Expire()
        {
            var oldest = _time.GetUtcNow() - Window;
            while (_order.Count > 0 && (_order.Peek().Value <= oldest || _takenAt.Count > Capacity || _order.Count > 2 * Capacity))
            {
                var entry = _order.Dequeue();
                if (_takenAt.TryGetValue(entry.Key, out var at) && at == entry.Value) _takenAt.Remove(entry.Key);
            }
        }
    }
}
