using System;

namespace FinqLink.Bulk
{
    /// <summary>What a caller may read while the run goes on: for a progress display, and for the summary of a run cut short.</summary>
    public sealed partial class BulkLinkRun
    {
        /// <summary>Creates being sent now.</summary>
        public int InFlight
        {
            get { lock (_gate) return _sending; }
        }

        /// <summary>
        /// Reads the summary while no row changes it: the summary of a run interrupted while rows are still in flight
        /// (their outcomes keep counting on other threads).
        /// </summary>
        public T ReadSummary<T>(Func<BulkRunSummary, T> read)
        {
            if (read == null) throw new ArgumentNullException(nameof(read));
            lock (_gate) return read(Summary);
        }
    }
}
