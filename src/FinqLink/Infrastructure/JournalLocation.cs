using System;
using System.IO;
using System.Management.Automation;

namespace FinqLink.PowerShell.Infrastructure
{
    /// <summary>What a -JournalPath names: a storage URL as typed, or a PowerShell path resolved to the file system's.</summary>
    internal static class JournalLocation
    {
        public static bool IsUrl(string location) =>
            Uri.TryCreate(location, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

        /// <summary>The location to open. A local journal that reads back (the ledger, webhooks) must exist: opening would create an empty one.</summary>
        public static string Resolve(PSCmdlet cmdlet, string journalPath)
        {
            if (IsUrl(journalPath)) return journalPath;
            var path = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(journalPath);
            if (!File.Exists(path))
                cmdlet.ThrowTerminatingError(new ErrorRecord(new FileNotFoundException($"JournalPath: there is no journal at {path}. Give the file New-FinqLink -JournalPath wrote.", path),
                    "FinqLink.InvalidInput.JournalPath", ErrorCategory.ObjectNotFound, journalPath));
            return path;
        }
    }
}
