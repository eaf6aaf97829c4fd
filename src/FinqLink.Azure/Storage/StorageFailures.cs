using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using FinqLink.Bulk;
using global::Azure;
using global::Azure.Identity;
using global::Azure.Storage.Sas;

namespace FinqLink.Azure.Storage
{
    /// <summary>
    /// Turns what the storage service (or the network, or the credential) answered into a message the user can act on.
    /// The SDK's own message is not passed on: it carries the request's headers and the service's reply, which is more
    /// than a user needs and, with a SAS, more than should be shown. Inner exceptions are rebuilt without it.
    /// </summary>
    internal static class StorageFailures
    {
        private static readonly char[] LineEnds = { '\r', '\n' };

        /// <summary>The SAS permission (and the Azure role) each operation needs.</summary>
        public static string Needs(StorageStep step) => step switch
        {
            StorageStep.CreateContainer => "the right to create containers (SAS: an account SAS with 'c' on containers; role: Storage Blob Data Contributor)",
            StorageStep.Create => "'c' (create) and 'w' (write) on the blob (role: Storage Blob Data Contributor)",
            StorageStep.Lease => "'w' (write) on the blob, needed for its lease (role: Storage Blob Data Contributor)",
            StorageStep.Read => "'r' (read) on the blob (role: Storage Blob Data Reader or Contributor)",
            _ => "'a' (add) and 'w' (write) on the blob (role: Storage Blob Data Contributor)",
        };

        public static string Describe(BlobJournalAddress address, StorageStep step, Exception error, string credential)
        {
            var what = Verb(step);
            switch (error)
            {
                case RequestFailedException failed when failed.Status == 403:
                    return $"{address}: the storage refused to {what} (403 {failed.ErrorCode}, credential: {credential}): {Why403(address, step)}.";
                case RequestFailedException failed when failed.Status == 404 && failed.ErrorCode == "ContainerNotFound":
                    return $"{address}: the container '{address.Container}' does not exist.";
                case RequestFailedException failed when failed.Status == 0:
                    return $"{address}: the storage could not be reached to {what} ({Plain(failed)}).";
                case RequestFailedException failed:
                    return $"{address}: the storage refused to {what} ({failed.Status} {failed.ErrorCode}).";
                case AuthenticationFailedException _:    // CredentialUnavailableException too
                    return $"{address}: no credential for the storage account: the URL has no SAS, {StorageClients.ConnectionStringVariable} does not name this account, and DefaultAzureCredential found none ({FirstLine(error.Message)}).";
                default:
                    return $"{address}: the storage could not be reached to {what} ({Plain(error)}).";
            }
        }

        /// <summary>What a SAS says about itself (validity, permissions) explains most 403s; otherwise the role that is needed.</summary>
        private static string Why403(BlobJournalAddress address, StorageStep step)
        {
            if (!(address.Sas is SasQueryParameters sas)) return $"the credential lacks {Needs(step)}";
            var now = DateTimeOffset.UtcNow;
            if (sas.ExpiresOn != default && sas.ExpiresOn < now)
                return $"the SAS expired at {sas.ExpiresOn.ToString("u", CultureInfo.InvariantCulture)}; make a new one with the permissions {JournalPermissions}";
            if (sas.StartsOn != default && sas.StartsOn > now)
                return $"the SAS is not valid before {sas.StartsOn.ToString("u", CultureInfo.InvariantCulture)}";
            var missing = JournalPermissionNames.Where(p => (sas.Permissions ?? "").IndexOf(p.Key) < 0).Select(p => $"'{p.Key}' ({p.Value})").ToList();
            if (missing.Count > 0) return $"the SAS lacks {string.Join(", ", missing)}: a journal's SAS needs {JournalPermissions}";
            return "the SAS has the permissions a journal needs, but the storage does not accept it (a signature that does not match, a SAS for another container or account, or the account's network rules)";
        }

        private const string JournalPermissions = "'racwl' (read, add, create, write, list)";

        private static readonly KeyValuePair<char, string>[] JournalPermissionNames =
        {
            new KeyValuePair<char, string>('r', "read"), new KeyValuePair<char, string>('a', "add"),
            new KeyValuePair<char, string>('c', "create"), new KeyValuePair<char, string>('w', "write"),
            new KeyValuePair<char, string>('l', "list"),    // the slot registry lists its records in the container
        };

        /// <summary>Refused, or the network never answered: nothing was written.</summary>
        public static IOException Unavailable(BlobJournalAddress address, StorageStep step, Exception error, string credential) =>
            new JournalUnavailableException(Describe(address, step, error, credential) + " Nothing was sent.", Sanitized(error));

        public static JournalWriteException WriteFailed(BlobJournalAddress address, Exception error, string credential) =>
            new JournalWriteException(Describe(address, StorageStep.Append, error, credential) + " The run stops, because rows it cannot record could be created twice.", Sanitized(error));

        /// <summary>True for what the network or the service did, as opposed to a bug: those become journal errors.</summary>
        public static bool IsStorageFailure(Exception e) =>
            e is RequestFailedException || e is AggregateException || e is IOException || e is AuthenticationFailedException
            || e is System.Net.Http.HttpRequestException || e is TimeoutException
            || e is OperationCanceledException;

        private static Exception Sanitized(Exception error) => error is RequestFailedException failed
            ? new IOException($"Status {failed.Status}, error code {failed.ErrorCode ?? "none"}.")
            : new IOException(Plain(error));

        private static string Plain(Exception error)
        {
            var innermost = error;
            while (innermost.InnerException != null) innermost = innermost.InnerException;
            return FirstLine(innermost.Message);
        }

        private static string FirstLine(string text)
        {
            var end = text.IndexOfAny(LineEnds);
            return (end < 0 ? text : text.Substring(0, end)).Trim();
        }

        private static string Verb(StorageStep step) => step switch
        {
            StorageStep.CreateContainer => "create the container",
            StorageStep.Create => "create the journal blob",
            StorageStep.Lease => "lease the journal blob",
            StorageStep.Read => "read the journal blob",
            _ => "append to the journal blob",
        };
    }

    internal enum StorageStep
    {
        CreateContainer,
        Create,
        Lease,
        Read,
        Append,
    }
}
