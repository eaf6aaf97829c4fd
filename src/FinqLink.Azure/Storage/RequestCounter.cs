using System.Threading;
using global::Azure.Core;
using global::Azure.Core.Pipeline;

namespace FinqLink.Azure.Storage
{
    /// <summary>Counts the HTTP requests a journal makes to the storage (retries included): its round trips, for -Verbose.</summary>
    internal sealed class RequestCounter : HttpPipelineSynchronousPolicy
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _count);
    }
}
