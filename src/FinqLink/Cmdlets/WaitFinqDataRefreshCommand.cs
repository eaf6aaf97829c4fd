using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using FinqLink.Models.Data;
using FinqLink.PowerShell.Infrastructure;
using FinqLink.Waiting;

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
        private readonly Dictionary<string, string> _consentOfJob = new Dictionary<string, string>(StringComparer.Ordinal);

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [Alias("consent_id")]
        public string ConsentId { get; set; } = "";

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [Alias("job_id")]
        public string JobId { get; set; } = "";

        internal override string Activity => "Waiting for data refreshes";

        protected override void ProcessRecord()
        {
            _consentOfJob[JobId] = ConsentId;
            Track(JobId, JobId);
        }

        internal override void Wait() => Wait(new DataRefreshGoal(Client, Logged, _consentOfJob), Finish);

        private object Finish(DataRefresh job, object? input)
        {
            if (job.Status == RefreshStatuses.PartiallyCompleted)
                WriteWarning($"{job.JobId}: the refresh completed only partly; some of the consent's data may be from an earlier refresh.");
            return job;
        }
    }
}
