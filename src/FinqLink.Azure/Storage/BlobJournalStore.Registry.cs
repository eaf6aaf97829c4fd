using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using FinqLink.Bulk;
using global::Azure.Storage.Blobs.Models;

namespace FinqLink.Azure.Storage
{
    /// <summary>
    /// What a journal in storage adds to a bulk run beyond the journal: its container keeps the API client's slot registry
    /// (<see cref="BlobSlotRecords"/>), and the other journals in it can be read to settle rows left ambiguous.
    /// </summary>
    internal sealed partial class BlobJournalStore : ISlotRegistryHost, IOtherJournals
    {
        /// <summary>Other journals read to settle ambiguous rows: the most recently written first, and none larger than this.</summary>
        private const int MaxOtherJournals = 100;
        private const long MaxOtherJournalBytes = 16 * 1024 * 1024;
        private BlobSlotRecords? _slotRecords;

        public IConditionalRecords SlotRecords => _slotRecords ??= new BlobSlotRecords(_clients.Container, _clients.Credential);

        /// <summary>The append blobs beside this journal that parse as journals (a journal held by a live run is read all the same: it is only appended to).</summary>
        public IEnumerable<IReadOnlyList<JournalEntry>> Read(CancellationToken cancellationToken)
        {
            List<BlobItem> blobs;
            try
            {
                blobs = _clients.Container.GetBlobs(BlobTraits.None, BlobStates.None, prefix: null, cancellationToken)
                    .Where(b => b.Properties.BlobType == BlobType.Append && b.Name != _address.Blob && !b.Name.StartsWith(BlobSlotRecords.Prefix, StringComparison.Ordinal)
                                && (b.Properties.ContentLength ?? 0) <= MaxOtherJournalBytes)
                    .OrderByDescending(b => b.Properties.LastModified).Take(MaxOtherJournals).ToList();
            }
            catch (Exception e) when (StorageFailures.IsStorageFailure(e) && !(e is OperationCanceledException))
            {
                _log?.Verbose($"The other journals in the container of {Location} could not be listed ({e.GetType().Name}); ambiguous rows stay so.");
                yield break;
            }
            foreach (var blob in blobs)
            {
                List<JournalEntry>? lines = null;
                try
                {
                    var data = _clients.Container.GetBlobClient(blob.Name).DownloadContent(cancellationToken).Value.Content.ToArray();
                    lines = JournalLines.Parse(data, blob.Name).Entries;
                }
                catch (FormatException) { }           // not a journal
                catch (Exception e) when (StorageFailures.IsStorageFailure(e) && !(e is OperationCanceledException)) { }
                if (lines != null) yield return lines;
            }
        }
    }
}
