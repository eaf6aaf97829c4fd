using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Bulk;
using FinqLink.Http;
using global::Azure;
using global::Azure.Storage.Blobs.Specialized;

namespace FinqLink.Azure.Storage
{
    /// <summary>
    /// The lease that makes one run at a time the journal's writer, on any machine. It is renewed three times per lease
    /// period while the run lives; a run that dies stops renewing, and the lease lapses one period later. Every append
    /// names the lease, so a run that lost it (storage unreachable for a whole period, and another run took it) cannot
    /// write again, and so cannot send again.
    /// </summary>
    internal sealed class JournalLease : IDisposable
    {
        private readonly BlobLeaseClient _client;
        private readonly TimeSpan _duration;
        private readonly IRequestLog? _log;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private Task? _renewing;

        private JournalLease(BlobLeaseClient client, TimeSpan duration, IRequestLog? log)
        {
            _client = client;
            _duration = duration;
            _log = log;
        }

        public string Id => _client.LeaseId;

        /// <summary>Set once a renewal was refused: another run holds the journal now.</summary>
        public string? Lost { get; private set; }

        /// <summary>
        /// Takes the lease. When another run holds it, waits one lease period and a renewal interval for it to lapse (a
        /// run that died frees it then) and says so; a run that keeps renewing through that wait is alive, and this run
        /// is refused.
        /// </summary>
        public static async Task<JournalLease> AcquireAsync(BlobBaseClient blob, BlobJournalAddress address, TimeSpan duration, IRequestLog? log,
                                                            Func<Task<string>> describeHolder, CancellationToken cancellationToken)
        {
            var client = blob.GetBlobLeaseClient(Guid.NewGuid().ToString());
            var patience = duration + RenewEvery(duration) + TimeSpan.FromSeconds(2);
            var waited = Stopwatch.StartNew();
            var told = false;
            while (true)
            {
                try
                {
                    await client.AcquireAsync(duration, cancellationToken: cancellationToken).ConfigureAwait(false);
                    if (told) log?.Warning($"{address}: the earlier run's lease lapsed after {waited.Elapsed.TotalSeconds:0} s; this run resumes its journal.");
                    var lease = new JournalLease(client, duration, log);
                    lease._renewing = Task.Run(lease.RenewAsync, CancellationToken.None);
                    return lease;
                }
                catch (RequestFailedException e) when (e.Status == 409 && e.ErrorCode == "LeaseAlreadyPresent")
                {
                    if (waited.Elapsed >= patience)
                        throw new JournalInUseException($"{address} is in use by another run ({await describeHolder().ConfigureAwait(false)}), which kept renewing its lease for {waited.Elapsed.TotalSeconds:0} s. One run at a time may use a journal.",
                            new System.IO.IOException("409 LeaseAlreadyPresent"));
                    if (!told)
                    {
                        log?.Warning($"{address} is leased by another run ({await describeHolder().ConfigureAwait(false)}). Waiting up to {patience.TotalSeconds:0} s for the lease to lapse: a run that died frees it within {duration.TotalSeconds:0} s; a live run keeps it, and then this run is refused.");
                        told = true;
                    }
                    // The service has no notice of a lease lapsing: ask again a few times per period.
                    await Task.Delay(TimeSpan.FromTicks(duration.Ticks / 6), cancellationToken).ConfigureAwait(false);
                }
            }
        }

        private static TimeSpan RenewEvery(TimeSpan duration) => TimeSpan.FromTicks(duration.Ticks / 3);

        private async Task RenewAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(RenewEvery(_duration), _stop.Token).ConfigureAwait(false);
                    await _client.RenewAsync(cancellationToken: _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested) { return; }
                catch (RequestFailedException e) when (e.Status == 409)
                {
                    Lost = $"the journal's lease was taken by another run ({e.ErrorCode})";
                    _log?.Warning($"The journal's lease could not be renewed ({e.ErrorCode}): another run holds it now; this run can no longer write its journal and stops sending.");
                    return;
                }
                catch (Exception e) when (StorageFailures.IsStorageFailure(e))
                {
                    // Unreachable for now: appends fail meanwhile, and the next renewal may still be in time.
                    _log?.Verbose($"The journal's lease could not be renewed now ({e.GetType().Name}); trying again.");
                }
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            try { _renewing?.Wait(TimeSpan.FromSeconds(5)); }
            catch (AggregateException) { }
            if (Lost == null)
            {
                // Freed at once for the next run; a run that cannot reach the storage now leaves it to lapse.
                try { _client.ReleaseAsync().Wait(TimeSpan.FromSeconds(5)); }
                catch (AggregateException) { }
            }
            _stop.Dispose();
        }
    }
}
