using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Bulk;
using FinqLink.Http;
using FinqLink.Json;
using global::Azure;
using global::Azure.Storage.Blobs.Models;
using global::Azure.Storage.Blobs.Specialized;

namespace FinqLink.Azure.Storage
{
    /// <summary>
    /// A journal in one append blob of Azure Blob Storage: the same JSON Lines as a local journal, one Append Block per
    /// batch (group commit), held by the blob's lease (<see cref="JournalLease"/>). Each append names the lease and the
    /// position it expects to write at, so it is durable once the service answers, cannot land twice when the SDK retries
    /// it, and fails once another run holds the journal. Append blocks are atomic, so a torn line can only come from a
    /// hand edit; it cannot be cut off an append blob, so it is marked (<see cref="JournalLines.RepairMark"/>) and
    /// reported.
    /// </summary>
    internal sealed partial class BlobJournalStore : IJournalStore, IJournalTail
    {
        private const int MaxBlock = 4 * 1024 * 1024;
        private const string HolderKey = "finqlink_holder";
        private static readonly byte[] NewLine = { (byte)'\n' };
        private readonly BlobJournalAddress _address;
        private readonly StorageClients _clients;
        private readonly JournalLease _lease;
        private readonly IRequestLog? _log;
        private long _length;
        private int _appends;
        private int _linesAppended;

        private BlobJournalStore(BlobJournalAddress address, StorageClients clients, JournalLease lease, IRequestLog? log)
        {
            _log = log;
            _address = address;
            _clients = clients;
            _lease = lease;
        }

        public string Location => _address.Display;

        public string? Repaired { get; private set; }

        /// <summary>One streamed download of the blob per call, parsed as it arrives; nothing is kept.</summary>
        public IEnumerable<JournalEntry> Read() => ReadFrom(0);

        public long Length => _length;

        /// <summary>One streamed download of the blob from <paramref name="offset"/> on (none when nothing is past it).</summary>
        public IEnumerable<JournalEntry> ReadFrom(long offset)
        {
            if (offset > 0 && offset >= _length) yield break;
            Stream content;
            var download = new BlobDownloadOptions { Conditions = new BlobRequestConditions { LeaseId = _lease.Id } };
            if (offset > 0) download.Range = new HttpRange(offset);
            try { content = _clients.Blob.DownloadStreaming(download).Value.Content; }
            catch (Exception e) when (StorageFailures.IsStorageFailure(e) && !(e is OperationCanceledException))
            {
                throw StorageFailures.Unavailable(_address, StorageStep.Read, e, _clients.Credential);
            }
            using (content)
                foreach (var entry in JournalLines.Over(content, Location).Entries()) yield return entry;
        }

        public static async Task<BlobJournalStore> OpenAsync(BlobJournalAddress address, JournalStoreOptions options, CancellationToken cancellationToken)
        {
            var clients = StorageClients.For(address, options);
            options.Log?.Verbose($"Journal {address}: credential {clients.Credential}.");
            await CreateAsync(address, clients, options, cancellationToken).ConfigureAwait(false);
            JournalLease lease;
            try
            {
                lease = await JournalLease.AcquireAsync(clients.Blob, address, options.LeaseDuration, options.Log,
                    () => DescribeHolderAsync(clients, cancellationToken), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (StorageFailures.IsStorageFailure(e) && !(e is JournalInUseException) && !(e is OperationCanceledException))
            {
                throw StorageFailures.Unavailable(address, StorageStep.Lease, e, clients.Credential);
            }
            var store = new BlobJournalStore(address, clients, lease, options.Log);
            try
            {
                await store.LoadAsync(options.CheckedUpTo, cancellationToken).ConfigureAwait(false);
                return store;
            }
            catch
            {
                store.Dispose();
                throw;
            }
        }

        public async Task AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken)
        {
            if (_lease.Lost is string lost)
                throw new JournalWriteException($"{Location}: {lost}; the run stops, because rows it cannot record could be created twice.", new IOException(lost));
            var bytes = new MemoryStream();
            foreach (var entry in entries)
            {
                var line = JsonSerializer.SerializeToUtf8Bytes(entry, FinqJson.Options);
                bytes.Write(line, 0, line.Length);
                bytes.Write(NewLine, 0, 1);
            }
            var data = bytes.ToArray();
            Interlocked.Add(ref _linesAppended, entries.Count);
            for (var offset = 0; offset < data.Length; offset += MaxBlock)
                await AppendBlockAsync(data, offset, Math.Min(MaxBlock, data.Length - offset), cancellationToken).ConfigureAwait(false);
        }

        private static async Task CreateAsync(BlobJournalAddress address, StorageClients clients, JournalStoreOptions options, CancellationToken cancellationToken)
        {
            try { await clients.Blob.CreateIfNotExistsAsync(new AppendBlobCreateOptions(), cancellationToken).ConfigureAwait(false); }
            catch (RequestFailedException missing) when (missing.ErrorCode == "ContainerNotFound")
            {
                try { await clients.Container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false); }
                catch (RequestFailedException refused) when (refused.Status == 403 || refused.Status == 404)
                {
                    throw new JournalUnavailableException($"{address}: the container '{address.Container}' does not exist, and the credential ({clients.Credential}) may not create it ({refused.Status} {refused.ErrorCode}): create the container, or use a credential with {StorageFailures.Needs(StorageStep.CreateContainer)}. Nothing was sent.",
                        new IOException($"Status {refused.Status}, error code {refused.ErrorCode ?? "none"}."));
                }
                catch (Exception e) when (StorageFailures.IsStorageFailure(e) && !(e is OperationCanceledException))
                {
                    throw StorageFailures.Unavailable(address, StorageStep.CreateContainer, e, clients.Credential);
                }
                options.Log?.Warning($"Created the container '{address.Container}' for the journal {address}.");
                await CreateAsync(address, clients, options, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (StorageFailures.IsStorageFailure(e) && !(e is OperationCanceledException))
            {
                throw StorageFailures.Unavailable(address, StorageStep.Create, e, clients.Credential);
            }
        }

        private static async Task<string> DescribeHolderAsync(StorageClients clients, CancellationToken cancellationToken)
        {
            try
            {
                var properties = await clients.Blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                return properties.Value.Metadata.TryGetValue(HolderKey, out var holder) ? holder : "a run that did not say where it runs";
            }
            catch (Exception e) when (StorageFailures.IsStorageFailure(e) && !(e is OperationCanceledException)) { return "unknown: its description could not be read"; }
        }

        private async Task LoadAsync(long checkedUpTo, CancellationToken cancellationToken)
        {
            var lease = new BlobRequestConditions { LeaseId = _lease.Id };
            JournalLines lines;
            bool endsWithNewLine;
            try
            {
                // Read through once to check it and find where it ends; the entries are read again by Read, not kept.
                var scanned = checkedUpTo > 0 ? await ScanAsync(checkedUpTo, lease, cancellationToken).ConfigureAwait(false) : null;
                (lines, _length, endsWithNewLine) = scanned ?? (await ScanAsync(0, lease, cancellationToken).ConfigureAwait(false))!.Value;
                // Who holds the journal, for a run that finds it leased.
                var holder = $"{Environment.MachineName}, process {System.Diagnostics.Process.GetCurrentProcess().Id}, since {DateTimeOffset.UtcNow.ToString("u", CultureInfo.InvariantCulture)}";
                await _clients.Blob.SetMetadataAsync(new Dictionary<string, string> { [HolderKey] = holder }, lease, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (StorageFailures.IsStorageFailure(e) && !(e is OperationCanceledException))
            {
                throw StorageFailures.Unavailable(_address, StorageStep.Read, e, _clients.Credential);
            }
            if (lines.Repaired != null)
            {
                var mark = Encoding.UTF8.GetBytes((endsWithNewLine ? "" : "\n") + JournalLines.RepairMark + "\n");
                await AppendBlockAsync(mark, 0, mark.Length, cancellationToken).ConfigureAwait(false);
                Repaired = lines.Repaired.Replace("and was removed", "and is ignored from now on (marked on the next line)");
            }
            else if (lines.MissingNewLine)
            {
                await AppendBlockAsync(NewLine, 0, 1, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// Downloads the blob from <paramref name="from"/> on and checks its lines; from an offset, the byte before it is
        /// downloaded too and must be a newline. Null when it is not, or what follows is not lines: the caller reads it all.
        /// </summary>
        private async Task<(JournalLines Lines, long Length, bool EndsWithNewLine)?> ScanAsync(long from, BlobRequestConditions lease, CancellationToken cancellationToken)
        {
            var options = new BlobDownloadOptions { Conditions = lease };
            if (from > 0) options.Range = new HttpRange(from - 1);
            Response<BlobDownloadStreamingResult> download;
            try { download = await _clients.Blob.DownloadStreamingAsync(options, cancellationToken).ConfigureAwait(false); }
            catch (RequestFailedException e) when (from > 0 && e.Status == 416) { return null; }    // shorter than before: replaced
            if (download.Value.Details.BlobType != BlobType.Append)
                throw new FormatException($"{Location} is a {download.Value.Details.BlobType.ToString().ToLowerInvariant()} blob, not an append blob: it was replaced by hand (uploaded again?). A journal is only ever appended to: restore it, or use a new -JournalPath.");
            using var content = new Counted(download.Value.Content);
            if (from > 0 && content.ReadByte() != '\n') return null;
            try
            {
                var lines = JournalLines.Scan(content, Location);
                var length = from > 0 ? from - 1 + content.Count : content.Count;
                return (lines, length, content.Last == '\n');
            }
            catch (FormatException) when (from > 0) { return null; }
        }

        private async Task AppendBlockAsync(byte[] data, int offset, int count, CancellationToken cancellationToken)
        {
            var options = new AppendBlobAppendBlockOptions
            {
                Conditions = new AppendBlobRequestConditions { LeaseId = _lease.Id, IfAppendPositionEqual = _length },
            };
            try
            {
                using var content = new MemoryStream(data, offset, count, writable: false);
                await _clients.Blob.AppendBlockAsync(content, options, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status == 412 && e.ErrorCode == "AppendPositionConditionNotMet")
            {
                // Either the SDK retried an append the service had already made (it is there once), or the blob changed.
                if (!await LandedAsync(data, offset, count, cancellationToken).ConfigureAwait(false))
                    throw new JournalWriteException($"{Location} changed under this run although it holds the lease (written by hand?): the run stops, because rows it cannot record could be created twice.",
                        new IOException("412 AppendPositionConditionNotMet"));
            }
            catch (RequestFailedException e) when (e.Status == 409 && e.ErrorCode == "BlockCountExceedsLimit")
            {
                throw new JournalWriteException($"{Location} has reached Azure's limit of 50,000 appends per blob: the rows recorded so far are safe; run the remaining rows with a new -JournalPath. The run stops, because rows it cannot record could be created twice.",
                    new IOException("409 BlockCountExceedsLimit"));
            }
            catch (Exception e) when (StorageFailures.IsStorageFailure(e))
            {
                throw _lease.Lost is string lost
                    ? new JournalWriteException($"{Location}: {lost}; the run stops, because rows it cannot record could be created twice.", new IOException(lost))
                    : StorageFailures.WriteFailed(_address, e, _clients.Credential);
            }
            _length += count;
            Interlocked.Increment(ref _appends);
        }

        /// <summary>True when the blob ends with exactly these bytes where they were to go (an append made once, retried).</summary>
        private async Task<bool> LandedAsync(byte[] data, int offset, int count, CancellationToken cancellationToken)
        {
            try
            {
                var properties = await _clients.Blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                if (properties.Value.ContentLength != _length + count) return false;
                var tail = await _clients.Blob.DownloadContentAsync(new BlobDownloadOptions { Range = new HttpRange(_length, count) }, cancellationToken).ConfigureAwait(false);
                return tail.Value.Content.ToArray().SequenceEqual(new ArraySegment<byte>(data, offset, count));
            }
            catch (Exception e) when (StorageFailures.IsStorageFailure(e) && !(e is OperationCanceledException)) { return false; }
        }

        public void Dispose()
        {
            _lease.Dispose();
            _log?.Verbose($"Journal {Location}: {_clients.Requests.Count} storage requests, of which {_appends} appends holding {_linesAppended} lines.");
        }
    }
}
