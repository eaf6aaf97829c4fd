using System;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Bulk;

namespace FinqLink.Azure
{
    /// <summary>
    /// What FinqLink.Azure gives Core: the parts built on the Azure SDK. Core knows them only through this interface and
    /// gets the implementation from <see cref="AzureParts"/>, which loads FinqLink.Azure the first time a part is used.
    /// </summary>
    public interface IAzureParts
    {
        /// <summary>Opens a journal in Azure Blob Storage (<paramref name="location"/> is an https:// or emulator URL).</summary>
        Task<IJournalStore> OpenJournalAsync(Uri location, JournalStoreOptions options, CancellationToken cancellationToken);
    }
}
