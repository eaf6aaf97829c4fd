using System;
using global::Azure.Storage.Blobs;

namespace FinqLink.Azure.Storage
{
    /// <summary>
    /// A journal's blob URL taken apart: the account's endpoint, the container, the blob and a SAS if the URL carries one.
    /// Both styles are read: https://&lt;account&gt;.blob.core.windows.net/&lt;container&gt;/&lt;name&gt; and the emulator's
    /// http://127.0.0.1:&lt;port&gt;/&lt;account&gt;/&lt;container&gt;/&lt;name&gt;. <see cref="ToString"/> never shows the SAS.
    /// </summary>
    internal sealed class BlobJournalAddress
    {
        private BlobJournalAddress(Uri serviceUri, string container, string blob, Uri? sasUri, string display, global::Azure.Storage.Sas.SasQueryParameters? sas)
        {
            Sas = sas;
            ServiceUri = serviceUri;
            Container = container;
            Blob = blob;
            SasUri = sasUri;
            Display = display;
        }

        /// <summary>The account's blob endpoint (with the account name in the path for the emulator's style).</summary>
        public Uri ServiceUri { get; }

        public string Container { get; }

        public string Blob { get; }

        /// <summary>The blob's URL with its SAS, when the user gave one; a secret.</summary>
        public Uri? SasUri { get; }

        /// <summary>The SAS's parameters: its permissions and validity explain a 403 (its signature is never shown).</summary>
        public global::Azure.Storage.Sas.SasQueryParameters? Sas { get; }

        /// <summary>The URL without the query: for every message.</summary>
        public string Display { get; }

        public static BlobJournalAddress Parse(Uri location)
        {
            var parts = new BlobUriBuilder(location);
            var display = location.GetLeftPart(UriPartial.Path);
            if (string.IsNullOrEmpty(parts.BlobContainerName) || string.IsNullOrEmpty(parts.BlobName))
                throw new ArgumentException($"{display}: a storage journal's URL names the container and the blob: https://<account>.blob.core.windows.net/<container>/<name>.", nameof(location));
            var hasSas = parts.Sas != null && !string.IsNullOrEmpty(parts.Sas.Signature);
            var service = new BlobUriBuilder(location) { BlobContainerName = "", BlobName = "", Sas = null, Snapshot = null, VersionId = null, Query = null };
            return new BlobJournalAddress(service.ToUri(), parts.BlobContainerName, parts.BlobName, hasSas ? location : null, display, hasSas ? parts.Sas : null);
        }

        /// <summary>True when <paramref name="endpoint"/> (from a connection string) is this account's blob endpoint.</summary>
        public bool IsServedBy(Uri endpoint) =>
            string.Equals(Normalize(endpoint), Normalize(ServiceUri), StringComparison.OrdinalIgnoreCase);

        private static string Normalize(Uri uri) => uri.GetLeftPart(UriPartial.Path).TrimEnd('/');

        public override string ToString() => Display;
    }
}
