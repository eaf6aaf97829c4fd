using System;
using System.Management.Automation;
using FinqLink.Models.Data;
using FinqLink.PowerShell.Infrastructure;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>Gets AIS consents by id, whatever their status.</summary>
    [Cmdlet(VerbsCommon.Get, "FinqConsent")]
    [OutputType(typeof(Consent))]
    public sealed class GetFinqConsentCommand : FinqCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [Alias("consent_id")]
        public string[] ConsentId { get; set; } = Array.Empty<string>();

        protected override void ProcessRecord()
        {
            foreach (var id in ConsentId)
            {
                try { WriteObject(Run((client, options, ct) => client.Consents.GetAsync(id, options, ct))); }
                catch (Exception e) when (!(e is PipelineStoppedException)) { WriteItemError(e, id); }
            }
        }
    }
}
