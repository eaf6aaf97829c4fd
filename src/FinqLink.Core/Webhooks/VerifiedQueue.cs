using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace FinqLink.Webhooks
{
    /// <summary>
    /// Verified webhooks waiting for the caller, in the order they were verified. Each holds a connection, so the wait is
    /// bounded: at most <c>capacity</c> wait at once (one more is answered 503 at once), and one not taken within
    /// <c>timeout</c> is answered 503. FinqLink delivers a 503 again later, so a slow pipeline or replays of one captured
    /// body cannot fill the listener's places.
    /// </summary>
    internal sealed class VerifiedQueue : IDisposable
    {
        private readonly ConcurrentQueue<Entry> _queue = new ConcurrentQueue<Entry>();
        private readonly SemaphoreSlim _available = new SemaphoreSlim(0);
        private readonly int _capacity;
        private readonly TimeSpan _timeout;
        private readonly TimeProvider _time;
        private int _waiting;

        public VerifiedQueue(int capacity, TimeSpan timeout, TimeProvider time)
        {
            _capacity = capacity;
            _timeout = timeout;
            _time = time;
        }

        public int Waiting => Volatile.Read(ref _waiting);

        /// <summary>Queues the webhook; false (and nothing queued) when <c>capacity</c> already wait.</summary>
        public bool TryAdd(ReceivedWebhook received, Action onExpired)
        {
            if (Interlocked.Increment(ref _waiting) > _capacity)
            {
                Interlocked.Decrement(ref _waiting);
                return false;
            }
            var entry = new Entry(received, _time.CreateCancellationTokenSource(_timeout));
            entry.Deadline.Token.Register(() =>
            {
                if (!entry.TryClaim()) return;
                Interlocked.Decrement(ref _waiting);
                received.Decline();
                onExpired();
            });
            _queue.Enqueue(entry);
            _available.Release();
            return true;
        }

        /// <summary>The next webhook not yet answered 503 for waiting too long.</summary>
        public async Task<ReceivedWebhook> NextAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
                _queue.TryDequeue(out var entry);
                if (!entry!.TryClaim()) continue; // its deadline passed: already answered 503
                Interlocked.Decrement(ref _waiting);
                entry.Deadline.Dispose();
                return entry.Received;
            }
        }

        /// <summary>Answers 503 to every webhook still waiting (the listener stops).</summary>
        public void DeclineAll()
        {
            while (_queue.TryDequeue(out var entry))
            {
                if (!entry.TryClaim()) continue;
                Interlocked.Decrement(ref _waiting);
                entry.Deadline.Dispose();
                entry.Received.Decline();
            }
        }

        public void Dispose() => _available.Dispose();

        private sealed class Entry
        {
            private int _claimed;

            public Entry(ReceivedWebhook received, CancellationTokenSource deadline)
            {
                Received = received;
                Deadline = deadline;
            }

            public ReceivedWebhook Received { get; }
            public CancellationTokenSource Deadline { get; }

            /// <summary>True for whoever comes first: the caller taking it, or its deadline.</summary>
            public bool TryClaim() => Interlocked.Exchange(ref _claimed, 1) == 0;
        }
    }
}
