using System;
using System.Threading;
using System.Threading.Tasks;

namespace FinqLink.Bulk
{
    /// <summary>Opens a journal from what the user typed. Today every location is a local file (see <see cref="FileJournalStore"/>).</summary>
    public static class JournalStores
    {
        /// <summary>
        /// How long opening waits for a journal another holder has: Receive-FinqWebhook -JournalPath holds one only while it
        /// records a webhook (milliseconds), so a run started meanwhile waits for it instead of failing; a run holding it is still reported within about a second.
        /// </summary>
        public static readonly TimeSpan DefaultWaitWhileInUse = TimeSpan.FromSeconds(1);

        /// <summary>Opens (or creates) the journal at <paramref name="location"/> and holds it until the store is disposed.</summary>
        public static Task<IJournalStore> OpenAsync(string location, CancellationToken cancellationToken) =>
            OpenAsync(location, DefaultWaitWhileInUse, cancellationToken);

        /// <summary>Opens the journal, waiting up to <paramref name="waitWhileInUse"/> while another holder has it; then <see cref="JournalInUseException"/>.</summary>
        public static async Task<IJournalStore> OpenAsync(string location, TimeSpan waitWhileInUse, CancellationToken cancellationToken)
        {
            if (string.IsNullOrWhiteSpace(location)) throw new ArgumentException("The journal's location is empty.", nameof(location));
            var giveUp = DateTimeOffset.UtcNow + waitWhileInUse;
            var pause = TimeSpan.FromMilliseconds(20);
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try { return FileJournalStore.Open(location); }
                catch (JournalInUseException) when (DateTimeOffset.UtcNow + pause < giveUp)
                {
                    await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
                    pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromMilliseconds(500).Ticks));
                }
            }
        }
    }
}
