using System;
using System.Threading;
using System.Threading.Tasks;

namespace FinqLink.Http
{
    /// <summary>
    /// Bounds requests in flight. Halves the limit on a 429 and grows it back by one after a run of
    /// successes (AIMD), so a bulk run slows down when throttled and speeds up again when it is not.
    /// </summary>
    public sealed class AdaptiveConcurrencyLimiter
    {
        private const int SuccessesPerIncrease = 10;
        private readonly object _gate = new object();
        private readonly int _max;
        private int _limit;
        private int _inFlight;
        private int _successes;
        private TaskCompletionSource<bool> _changed = NewSignal();

        public AdaptiveConcurrencyLimiter(int max)
        {
            if (max < 1) throw new ArgumentOutOfRangeException(nameof(max), "ThrottleLimit must be at least 1.");
            _max = _limit = max;
        }

        public int Limit { get { lock (_gate) return _limit; } }

        public async Task<IDisposable> AcquireAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                Task wait;
                lock (_gate)
                {
                    if (_inFlight < _limit)
                    {
                        _inFlight++;
                        return new Lease(this);
                    }
                    wait = _changed.Task;
                }
                var cancelled = new TaskCompletionSource<bool>();
                using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
                    await Task.WhenAny(wait, cancelled.Task).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        public void OnRateLimited()
        {
            lock (_gate)
            {
                _limit = Math.Max(1, _limit / 2);
                _successes = 0;
            }
        }

        public void OnSuccess()
        {
            lock (_gate)
            {
                if (_limit >= _max || ++_successes < SuccessesPerIncrease) return;
                _limit++;
                _successes = 0;
                Signal();
            }
        }

        private void Release()
        {
            lock (_gate)
            {
                _inFlight--;
                Signal();
            }
        }

        private void Signal()
        {
            var old = _changed;
            _changed = NewSignal();
            old.TrySetResult(true);
        }

        private static TaskCompletionSource<bool> NewSignal() => new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        private sealed class Lease : IDisposable
        {
            private AdaptiveConcurrencyLimiter? _owner;
            public Lease(AdaptiveConcurrencyLimiter owner) => _owner = owner;
            public void Dispose() => Interlocked.Exchange(ref _owner, null)?.Release();
        }
    }
}
