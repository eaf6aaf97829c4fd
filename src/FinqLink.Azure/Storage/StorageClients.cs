using System;
using FinqLink.Bulk;
using global::Azure.Core;
using global::Azure.Identity;
using global::Azure.Storage.Blobs;
using global::Azure.Storage.Blobs.Specialized;

namespace FinqLink.Azure.Storage
{
    /// <summary>
    /// The clients for a journal's blob, with credentials tried in this order: a SAS in the URL;
    /// AZURE_STORAGE_CONNECTION_STRING when it names that account's endpoint (the Azure CLI's convention);
    /// DefaultAzureCredential (a managed identity in Azure Automation, a developer's Azure CLI login, ...).
    /// </summary>
    internal sealed class StorageClients
    {
        public const string ConnectionStringVariable = "AZURE_STORAGE_CONNECTION_STRING";

        private StorageClients(AppendBlobClient blob, BlobContainerClient container, string credential, RequestCounter requests)
        {
            Requests = requests;
            Blob = blob;
            Container = container;
            Credential = credential;
        }

        public AppendBlobClient Blob { get; }

        public BlobContainerClient Container { get; }

        /// <summary>The requests made through these clients so far.</summary>
        public RequestCounter Requests { get; }

        /// <summary>Which credential was chosen, for messages (never the credential itself).</summary>
        public string Credential { get; }

        public static StorageClients For(BlobJournalAddress address, JournalStoreOptions options)
        {
            var requests = new RequestCounter();
            var clientOptions = ClientOptions(options);
            clientOptions.AddPolicy(requests, HttpPipelinePosition.PerRetry);
            if (address.SasUri != null)
            {
                var blob = new AppendBlobClient(address.SasUri, clientOptions);
                return new StorageClients(blob, blob.GetParentBlobContainerClient(), "the SAS in the URL", requests);
            }
            if (ServiceFromConnectionString(address, options, clientOptions) is BlobServiceClient named)
            {
                var container = named.GetBlobContainerClient(address.Container);
                return new StorageClients(container.GetAppendBlobClient(address.Blob), container, ConnectionStringVariable, requests);
            }
            if (address.ServiceUri.Scheme == Uri.UriSchemeHttp)
                throw new JournalUnavailableException($"{address}: a journal over plain http (the emulator) needs a SAS in the URL or {ConnectionStringVariable} naming that endpoint; Microsoft Entra ID tokens (DefaultAzureCredential) are sent over https only. Nothing was sent.",
                    new System.IO.IOException("No credential for http."));
            var service = new BlobServiceClient(address.ServiceUri, new DefaultAzureCredential(), clientOptions);
            var byIdentity = service.GetBlobContainerClient(address.Container);
            return new StorageClients(byIdentity.GetAppendBlobClient(address.Blob), byIdentity, "DefaultAzureCredential (Microsoft Entra ID)", requests);
        }

        private static BlobServiceClient? ServiceFromConnectionString(BlobJournalAddress address, JournalStoreOptions options, BlobClientOptions clientOptions)
        {
            var connectionString = options.Environment(ConnectionStringVariable);
            if (string.IsNullOrWhiteSpace(connectionString)) return null;
            BlobServiceClient service;
            try { service = new BlobServiceClient(connectionString, clientOptions); }
            catch (Exception e) when (e is FormatException || e is ArgumentException || e is InvalidOperationException)
            {
                options.Log?.Verbose($"{ConnectionStringVariable} is not a storage connection string; it is not used for {address}.");
                return null;
            }
            if (address.IsServedBy(service.Uri)) return service;
            options.Log?.Verbose($"{ConnectionStringVariable} names another account ({service.Uri.GetLeftPart(UriPartial.Path)}); it is not used for {address}.");
            return null;
        }

        private static BlobClientOptions ClientOptions(JournalStoreOptions options)
        {
            var clientOptions = new BlobClientOptions();
            clientOptions.Retry.Mode = RetryMode.Exponential;
            clientOptions.Retry.MaxRetries = options.StorageRetries;
            clientOptions.Retry.Delay = TimeSpan.FromMilliseconds(200);
            clientOptions.Retry.MaxDelay = TimeSpan.FromSeconds(5);
            clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
            return clientOptions;
        }
    }
}
