using System;
using System.Management.Automation;
using FinqLink.Models.Data;
using FinqLink.PowerShell.Infrastructure;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>
    /// Finishes a direct_sca consent: after the bank sends the account holder to your redirect URL, hand FinqLink what
    /// the bank appended to it (the whole URL, or just its code). The consent then becomes active, or fails.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Complete, "FinqConsent", SupportsShouldProcess = true, DefaultParameterSetName = UriSet)]
    [OutputType(typeof(Consent))]
    public sealed class CompleteFinqConsentCommand : FinqCmdlet
    {
        private const string UriSet = "RedirectUri", CodeSet = "Code";

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [Alias("consent_id")]
        public string ConsentId { get; set; } = "";

        /// <summary>The URL the bank redirected the holder to, with its code (or error) query parameter.</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = UriSet)]
        public Uri? RedirectUri { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = CodeSet)]
        [ValidateNotNullOrEmpty]
        public string? Code { get; set; }

        /// <summary>The error the bank reported instead of a code; the consent fails.</summary>
        [Parameter(ParameterSetName = CodeSet)]
        public string? BankError { get; set; }

        protected override void ProcessRecord()
        {
            try
            {
                var code = Code;
                var error = BankError;
                if (RedirectUri != null)
                {
                    if (!RedirectUri.IsAbsoluteUri) throw new ArgumentException($"RedirectUri: '{RedirectUri}' must be an absolute URL.");
                    code = QueryValue(RedirectUri, "code");
                    error = QueryValue(RedirectUri, "error");
                }
                if (!ShouldProcess(ConsentId, "Complete direct_sca consent")) return;
                WriteObject(Run((client, options, ct) => client.Consents.CompleteAsync(ConsentId, code, error, options, ct)));
            }
            catch (Exception e) when (!(e is PipelineStoppedException)) { WriteItemError(e, ConsentId); }
        }

        private static string? QueryValue(Uri uri, string name)
        {
            foreach (var pair in uri.Query.TrimStart('?').Split('&'))
            {
                var separator = pair.IndexOf('=');
                var key = separator < 0 ? pair : pair.Substring(0, separator);
                if (key == name) return separator < 0 ? "" : Uri.UnescapeDataString(pair.Substring(separator + 1).Replace('+', ' '));
            }
            return null;
        }
    }
}
