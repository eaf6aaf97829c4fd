using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace FinqLink.Bulk
{
    /// <summary>
    /// Small named records in shared storage that are only ever written conditionally: created if absent, or replaced if
    /// unchanged since they were read (an ETag). This is all <see cref="StorageSlotRegistry"/> needs of a storage service,
    /// so the registry's logic is tested with an in-memory one. Values are short ASCII strings. Failures to reach the store
    /// (or a refusal: 403) throw <see cref="SlotRegistryException"/> with a message fit for the user.
    /// </summary>
    public interface IConditionalRecords
    {
        /// <summary>Where the records are, for messages: a URL without credentials.</summary>
        string Location { get; }

        /// <summary>Every record whose name starts with <paramref name="prefix"/>, with its ETag.</summary>
        Task<IReadOnlyList<ConditionalRecord>> ListAsync(string prefix, CancellationToken cancellationToken);

        /// <summary>Creates the record; answers its ETag, or null when a record of that name exists.</summary>
        Task<string?> TryCreateAsync(string name, IReadOnlyDictionary<string, string> values, CancellationToken cancellationToken);

        /// <summary>Replaces the record if its ETag is still <paramref name="etag"/>; answers the new ETag, or null when it changed (or is gone).</summary>
        Task<string?> TryReplaceAsync(string name, IReadOnlyDictionary<string, string> values, string etag, CancellationToken cancellationToken);
    }

    /// <summary>One record as listed.</summary>
    public sealed class ConditionalRecord
    {
        public ConditionalRecord(string name, string etag, IReadOnlyDictionary<string, string> values)
        {
            Name = name;
            ETag = etag;
            Values = values;
        }

        public string Name { get; }
        public string ETag { get; }
        public IReadOnlyDictionary<string, string> Values { get; }
    }

    /// <summary>A journal store whose storage also keeps the API client's slot registry (see <see cref="StorageSlotRegistry"/>).</summary>
    public interface ISlotRegistryHost
    {
        /// <summary>The registry's records, in the same storage account as the journal; opened (and checked) on first use.</summary>
        IConditionalRecords SlotRecords { get; }
    }
}
