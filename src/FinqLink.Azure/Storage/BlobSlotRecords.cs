using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Bulk;
using global::Azure;
using global::Azure.Storage.Blobs;
using global::Azure.Storage.Blobs.Models;

namespace FinqLink.Azure.Storage
{
    /// <summary>
    /// The slot registry's records (see <see cref="StorageSlotRegistry"/>) as empty block blobs under
    /// <see cref="Prefix"/> in the journal's container, their values in the blob's metadata so that one listing shows every
    /// block with its ETag. Create-if-absent is an upload with If-None-Match: *; a replace is Set Blob Metadata with
    /// If-Match: the blob's ETag.
    /// </summary>
    internal sealed class BlobSlotRecords : IConditionalRecords
    {
        public const string Prefix = "finqlink-slots/";
        private readonly BlobContainerClient _container;
        private readonly string _credential;
        private int _requests;

        public BlobSlotRecords(BlobContainerClient container, string credential)
        {
            _container = container;
            _credential = credential;
            Location = container.Uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/" + Prefix;
        }

        public string Location { get; }

        /// <summary>The requests made to the storage so far.</summary>
        public int Requests => Volatile.Read(ref _requests);

        public async Task<IReadOnlyList<ConditionalRecord>> ListAsync(string prefix, CancellationToken cancellationToken)
        {
            var records = new List<ConditionalRecord>();
            try
            {
                Interlocked.Increment(ref _requests);
                await foreach (var blob in _container.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, Prefix + prefix, cancellationToken).ConfigureAwait(false))
                    records.Add(new ConditionalRecord(blob.Name.Substring(Prefix.Length), blob.Properties.ETag?.ToString() ?? "", new Dictionary<string, string>(blob.Metadata)));
            }
            catch (Exception e) when (IsFailure(e)) { throw Failed("list", "'l' (list)", e); }
            return records;
        }

        public async Task<string?> TryCreateAsync(string name, IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken)
        {
            try
            {
                Interlocked.Increment(ref _requests);
                using var empty = new MemoryStream(Array.Empty<byte>());
                var created = await _container.GetBlobClient(Prefix + name).UploadAsync(empty, new BlobUploadOptions
                {
                    Metadata = new Dictionary<string, string>(Copy(values)), Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                }, cancellationToken).ConfigureAwait(false);
                return created.Value.ETag.ToString();
            }
            catch (RequestFailedException e) when (e.Status == 409 || e.Status == 412) { return null; }
            catch (Exception e) when (IsFailure(e)) { throw Failed("create", "'c' (create) and 'w' (write)", e); }
        }

        public async Task<string?> TryReplaceAsync(string name, IReadOnlyDictionary<string, string> values, string etag, CancellationToken cancellationToken)
        {
            try
            {
                Interlocked.Increment(ref _requests);
                var replaced = await _container.GetBlobClient(Prefix + name).SetMetadataAsync(new Dictionary<string, string>(Copy(values)),
                    new BlobRequestConditions { IfMatch = new ETag(etag) }, cancellationToken).ConfigureAwait(false);
                return replaced.Value.ETag.ToString();
            }
            catch (RequestFailedException e) when (e.Status == 412 || e.Status == 404) { return null; }
            catch (Exception e) when (IsFailure(e)) { throw Failed("write", "'w' (write)", e); }
        }

        private static IDictionary<string, string> Copy(IReadOnlyDictionary<string, string> values)
        {
            var copy = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in values) copy[pair.Key] = pair.Value;
            return copy;
        }

        private static bool IsFailure(Exception e) => StorageFailures.IsStorageFailure(e) && !(e is OperationCanceledException);

        /// <summary>The SDK's message is not passed on (see <see cref="StorageFailures"/>): the status and code say enough.</summary>
        private SlotRegistryException Failed(string what, string permission, Exception e) => e switch
        {
            RequestFailedException refused when refused.Status == 403 => new SlotRegistryException(
                $"The slot registry in {Location} refused to {what} (403 {refused.ErrorCode}, credential: {_credential}): a storage journal's credential needs {permission} on the journal's container too (SAS: 'racwl' on the container; role: Storage Blob Data Contributor).",
                new IOException($"Status 403, error code {refused.ErrorCode ?? "none"}.")),
            RequestFailedException refused => new SlotRegistryException(
                $"The slot registry in {Location} could not {what} ({(refused.Status == 0 ? "unreachable" : refused.Status + " " + refused.ErrorCode)}).",
                new IOException($"Status {refused.Status}, error code {refused.ErrorCode ?? "none"}.")),
            _ => new SlotRegistryException($"The slot registry in {Location} could not be reached to {what} ({e.GetType().Name}).", new IOException(e.GetType().Name)),
        };
    }
}
