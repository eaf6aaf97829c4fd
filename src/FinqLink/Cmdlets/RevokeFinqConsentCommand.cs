using System;
using System.Management.Automation;
using FinqLink.Models.Data;
using FinqLink.PowerShell.Infrastructure;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>
    /// Revokes AIS consents: their data can no longer be read or refreshed. Revoking a consent that is already revoked
    /// succeeds; one that expired, failed or is suspended cannot be revoked (it grants no access anyway).
    /// </summary>
    [Cmdlet(VerbsSecurity.Revoke, "FinqConsent", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(Consent))]
    public sealed class RevokeFinqConsentCommand : FinqCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [Alias("consent_id")]
        public string[] ConsentId { get; set; } = Array.Empty<string>();

        /// <summary>Writes the revoked consent.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var id in ConsentId)
            {
                if (!ShouldProcess(id, "Revoke AIS consent")) continue;
                try
                {
                    var revoked = Run((client, options, ct) => client.Consents.RevokeAsync(id, options, ct));
                    this.WriteVerboseIfRequested($"{id}: revoked.");
                    if (PassThru) WriteObject(revoked);
                }
                catch (FinqLinkApiException e) when (e.Code == ApiErrorCodes.ConsentNotActive)
                {
                    WriteError(new ErrorRecord(new InvalidOperationException(
                            $"{id}: cannot be revoked because it is no longer active (expired, failed or suspended); it grants no data access. ({e.Message})", e),
                        "FinqLink.Api." + ApiErrorCodes.ConsentNotActive, ErrorCategory.InvalidOperation, id));
                }
                catch (Exception e) when (!(e is PipelineStoppedException)) { WriteItemError(e, id); }
            }
        }
    }
}
