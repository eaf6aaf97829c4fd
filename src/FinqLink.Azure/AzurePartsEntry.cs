using System;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Auth;
using FinqLink.Azure.Storage;
using FinqLink.Bulk;

namespace FinqLink.Azure
{
    /// <summary>The implementation of <see cref="IAzureParts"/> that <see cref="AzureParts"/> creates by name.</summary>
    public sealed class AzurePartsEntry : IAzureParts
    {
        public async Task<IJournalStore> OpenJournalAsync(Uri location, JournalStoreOptions options, CancellationToken cancellationToken) =>
            await BlobJournalStore.OpenAsync(BlobJournalAddress.Parse(location), options, cancellationToken).ConfigureAwait(false);

        public Func<SigningInput, byte[]> KeyVaultSigner(Uri keyId, string algorithm) => new KeyVault.KeyVaultSigner(keyId, algorithm).Sign;
    }
}
