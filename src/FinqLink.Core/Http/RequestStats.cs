using System.Threading;

namespace FinqLink.Http
{
    /// <summary>Counters a caller can hand to the transport: 429 answers seen and retries made.</summary>
    public sealed class RequestStats
    {
        private long _throttled, _retries;

        public long Throttled => Interlocked.Read(ref _throttled);
        public long Retries => Interlocked.Read(ref _retries);

        internal void CountThrottled() => Interlocked.Increment(ref _throttled);
        internal void CountRetry() => Interlocked.Increment(ref _retries);
    }
}
