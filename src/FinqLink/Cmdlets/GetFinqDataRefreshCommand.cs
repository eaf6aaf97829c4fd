using System;
using System.Management.Automation;
using FinqLink.Models.Data;
using FinqLink.PowerShell.Infrastructure;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>Gets the status of a data refresh job.</summary>
    [Cmdlet(VerbsCommon.Get, "FinqDataRefresh")]
    [OutputType(typeof(DataRefresh))]
    public sealed class GetFinqDataRefreshCommand : FinqCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [Alias("consent_id")]
        public string ConsentId { get; set; } = "";

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [Alias("job_id")]
        public string JobId { get; set; } = "";

        protected override void ProcessRecord()
        {
            try { WriteObject(Run((client, options, ct) => client.DataRefreshes.GetAsync(ConsentId, JobId, options, ct))); }
            catch (Exception e) when (!(e is PipelineStoppedException)) { WriteItemError(e, JobId); }
        }
    }
}
