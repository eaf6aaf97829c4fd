using System;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Auth;
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

        /// <summary>
        /// Signs with a key in Azure Key Vault (<paramref name="keyId"/>: https://&lt;vault&gt;.vault.azure.net/keys/&lt;name&gt;[/&lt;version&gt;]):
        /// the vault signs the digest, the key never leaves it. Failures are <see cref="FinqLinkCredentialException"/>s that say what to fix.
        /// </summary>
        Func<SigningInput, byte[]> KeyVaultSigner(Uri keyId, string algorithm);
    }
}
