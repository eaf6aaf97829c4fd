using System;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Azure;

namespace FinqLink.Bulk
{
    /// <summary>
    /// Opens a journal from what the user typed: a local path gives a <see cref="FileJournalStore"/>; an Azure Blob URL
    /// (https://&lt;account&gt;.blob.core.windows.net/&lt;container&gt;/&lt;name&gt;, or the emulator's
    /// http://127.0.0.1:&lt;port&gt;/&lt;account&gt;/&lt;container&gt;/&lt;name&gt;) gives a journal in that blob, opened by
    /// FinqLink.Azure (loaded only then).
    /// </summary>
    public static class JournalStores
    {
        /// <summary>True when <paramref name="location"/> is a storage URL rather than a path.</summary>
        public static bool IsUrl(string location) =>
            Uri.TryCreate(location, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

        /// <summary>The location for messages: a URL without its query (a SAS is a secret), or the path.</summary>
        public static string Describe(string location)
        {
            if (!IsUrl(location)) return location;
            var query = location.IndexOf('?');
            var withoutQuery = query < 0 ? location : location.Substring(0, query);
            var fragment = withoutQuery.IndexOf('#');
            return fragment < 0 ? withoutQuery : withoutQuery.Substring(0, fragment);
        }

        /// <summary>
        /// Opens (or creates) the journal and holds it for this run until the store is disposed. While another holder has it,
        /// waits up to <see cref="JournalStoreOptions.WaitWhileInUse"/> (Receive-FinqWebhook -JournalPath holds one only while
        /// it records a webhook), then fails with <see cref="JournalInUseException"/>.
        /// </summary>
        public static async Task<IJournalStore> OpenAsync(string location, JournalStoreOptions? options, CancellationToken cancellationToken)
        {
            if (string.IsNullOrWhiteSpace(location)) throw new ArgumentException("The journal's location is empty.", nameof(location));
            options ??= new JournalStoreOptions();
            var giveUp = DateTimeOffset.UtcNow + options.WaitWhileInUse;
            var pause = TimeSpan.FromMilliseconds(20);
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try { return await OpenOnceAsync(location, options, cancellationToken).ConfigureAwait(false); }
                catch (JournalInUseException) when (DateTimeOffset.UtcNow + pause < giveUp)
                {
                    await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
                    pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromMilliseconds(500).Ticks));
                }
            }
        }

        private static async Task<IJournalStore> OpenOnceAsync(string location, JournalStoreOptions options, CancellationToken cancellationToken)
        {
            if (!IsUrl(location)) return FileJournalStore.Open(location, options.CheckedUpTo);
            var uri = new Uri(location);
            if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
                throw new ArgumentException($"{Describe(location)}: a storage journal needs https (plain http only for the emulator on this machine).", nameof(location));
            return await AzureParts.Get().OpenJournalAsync(uri, options, cancellationToken).ConfigureAwait(false);
        }
    }
}
