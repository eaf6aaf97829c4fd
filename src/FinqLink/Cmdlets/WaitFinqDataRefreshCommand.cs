using System.Management.Automation;
using FinqLink.Http;
using FinqLink.Models.Data;
using FinqLink.PowerShell.Infrastructure;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>
    /// Waits until data refresh jobs finish and writes each finished job, ready to pipe to Get-FinqTransaction.
    /// job_partially_completed is written with a warning; job_failed is an error.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Wait, "FinqDataRefresh")]
    [OutputType(typeof(DataRefresh))]
    public sealed class WaitFinqDataRefreshCommand : FinqWaitCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [Alias("consent_id")]
        public string ConsentId { get; set; } = "";

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [Alias("job_id")]
        public string JobId { get; set; } = "";

        protected override string Activity => "Waiting for data refreshes";

        protected override string Goal => "job_completed";

        protected override void ProcessRecord() => Track(JobId, () => Requests.GetRefresh(ConsentId, JobId), JobId);

        protected override object Fetch(ApiRequest request) => Send<DataRefresh>(request);

        protected override bool Reached(object item)
        {
            var job = (DataRefresh)item;
            if (job.Status == RefreshStatuses.PartiallyCompleted)
                WriteWarning($"{job.JobId}: the refresh completed only partly; some of the consent's data may be from an earlier refresh.");
            return job.Succeeded;
        }

        protected override bool CannotReach(object item) => ((DataRefresh)item).IsFinal;

        protected override string? StatusOf(object item) => ((DataRefresh)item).Status;
    }
}
