using System;
using System.IO;
using FinqLink.Bulk;
using global::Azure;
using global::Azure.Identity;

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
                case RequestFailedException failed when failed.Status == 403 && failed.ErrorCode == "AuthenticationFailed":
                    return $"{address}: the storage refused to {what} (403 AuthenticationFailed, credential: {credential}): the SAS has expired, is not valid yet, or its signature does not match; create a new one with {Needs(step)}.";
                case RequestFailedException failed when failed.Status == 403:
                    return $"{address}: the storage refused to {what} (403 {failed.ErrorCode}, credential: {credential}): the credential lacks {Needs(step)}.";
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
