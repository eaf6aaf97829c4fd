using System;
using System.Management.Automation;
using FinqLink.PowerShell.Infrastructure;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>
    /// Says whether a received webhook really comes from FinqLink: $true only when x-signature is a valid RS256/ES256
    /// JWS by a key FinqLink publishes and its payload is byte-for-byte the body. -Verbose says why one fails.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "FinqWebhookSignature", DefaultParameterSetName = HeadersSet)]
    [OutputType(typeof(bool))]
    public sealed class TestFinqWebhookSignatureCommand : WebhookCmdlet
    {
        protected override void ProcessRecord()
        {
            try
            {
                var verdict = Verify(out _);
                if (!verdict.IsValid) this.WriteVerboseIfRequested("Webhook signature rejected: " + verdict.Failure);
                WriteObject(verdict.IsValid);
            }
            catch (Exception e) when (!(e is PipelineStoppedException)) { WriteItemError(e, null); }
        }
    }
}
