using System;
using System.Threading;
using System.Threading.Tasks;

namespace FinqLink.Bulk
{
    /// <summary>
    /// How far a run gets ahead of the API: rows are taken from the input at most twice the throttle limit ahead of their
    /// requests (four times with a journal: a row waits for its journal entry to be on disk before its request, and the
    /// rows waiting so must not leave the API idle), and at most the throttle limit are in flight (the AIMD limiter under
    /// them lowers that on 429). Stops the run when told (a journal that cannot be written) or when too many rows in a row
    /// cannot reach the API.
    /// </summary>
    internal sealed class Admission : IDisposable
    {
        private readonly SemaphoreSlim _ahead;
        private readonly SemaphoreSlim _inFlight;
        private readonly int _maxTransportFailures;
        private readonly Action<string>? _stopped;
        private string? _stopReason;
        private int _transportFailures, _sending, _peak;

        /// <param name="stopped">Told the reason once, when the run stops.</param>
        /// <param name="journaled">Rows wait for the journal before their requests: more of them are taken ahead.</param>
        public Admission(int throttleLimit, int maxConsecutiveTransportFailures, Action<string>? stopped = null, bool journaled = false)
        {
            // A row gives its place back once its first request is answered: one waiting to be settled does not hold back the rows behind it.
            RowsAhead = throttleLimit * (journaled ? 4 : 2);
            _ahead = new SemaphoreSlim(RowsAhead);
            _inFlight = new SemaphoreSlim(throttleLimit);
            _maxTransportFailures = maxConsecutiveTransportFailures;
            _stopped = stopped;
        }

        /// <summary>How many rows may be taken ahead of their requests at once (each may hold an expiry slot meanwhile).</summary>
        public int RowsAhead { get; }

        /// <summary>Set when the run stopped sending.</summary>
        public string? StopReason => Volatile.Read(ref _stopReason);

        public int PeakInFlight => Volatile.Read(ref _peak);

        /// <summary>Creates being sent now.</summary>
        public int InFlight => Volatile.Read(ref _sending);

        /// <summary>Stops the run; the first reason stays.</summary>
        public void Stop(string reason)
        {
            if (Interlocked.CompareExchange(ref _stopReason, reason, null) == null) _stopped?.Invoke(reason);
        }

        /// <summary>
        /// Stops sending because the caller is cutting the run short, not because of the run itself: the rows not yet in
        /// flight are reported as not sent, with <paramref name="reason"/>, but the run's own stop reason is not told.
        /// </summary>
        public void Halt(string reason) => Interlocked.CompareExchange(ref _stopReason, reason, null);

        /// <summary>A place among the rows taken ahead of the requests; disposing it (once is enough) gives it back.</summary>
        public async Task<IDisposable> TakeRowAsync(CancellationToken cancellationToken)
        {
            await _ahead.WaitAsync(cancellationToken).ConfigureAwait(false);
            return new Permit(_ahead, null);
        }

        /// <summary>A place among the requests in flight. Throws <see cref="RunStoppedException"/> once the run has stopped.</summary>
        public async Task<IDisposable> EnterFlightAsync(CancellationToken cancellationToken)
        {
            await _inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (StopReason is string stopped)
            {
                _inFlight.Release();
                throw new RunStoppedException(stopped);
            }
            var sending = Interlocked.Increment(ref _sending);
            for (var peak = PeakInFlight; peak < sending && Interlocked.CompareExchange(ref _peak, sending, peak) != peak; peak = PeakInFlight) { }
            return new Permit(_inFlight, () => Interlocked.Decrement(ref _sending));
        }

        /// <summary>Whether a request reached the API. Too many in a row that do not stop the run: the rest are reported, not hammered at a dead server.</summary>
        public void Reached(bool reached)
        {
            if (reached)
            {
                Interlocked.Exchange(ref _transportFailures, 0);
                return;
            }
            var failures = Interlocked.Increment(ref _transportFailures);
            if (failures >= _maxTransportFailures)
                Stop($"{failures} rows in a row could not reach the API; the run stopped sending. Run again with the same journal once it is reachable.");
        }

        public void Dispose()
        {
            _ahead.Dispose();
            _inFlight.Dispose();
        }

        private sealed class Permit : IDisposable
        {
            private SemaphoreSlim? _semaphore;
            private readonly Action? _released;

            public Permit(SemaphoreSlim semaphore, Action? released)
            {
                _semaphore = semaphore;
                _released = released;
            }

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _semaphore, null) is not SemaphoreSlim semaphore) return;
                _released?.Invoke();
                semaphore.Release();
            }
        }
    }
}
