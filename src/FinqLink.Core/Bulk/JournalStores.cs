using System;
using System.Threading;
using System.Threading.Tasks;

namespace FinqLink.Bulk
{
    /// <summary>Opens a journal from what the user typed. Today every location is a local file (see <see cref="FileJournalStore"/>).</summary>
    public static class JournalStores
    {
        /// <summary>Opens (or creates) the journal at <paramref name="location"/> and holds it until the store is disposed.</summary>
        public static Task<IJournalStore> OpenAsync(string location, CancellationToken cancellationToken)
        {
            if (string.IsNullOrWhiteSpace(location)) throw new ArgumentException("The journal's location is empty.", nameof(location));
            cancellationToken.ThrowIfCancellationRequested();
            return Task.FromResult<IJournalStore>(FileJournalStore.Open(location));
        }
    }
}
