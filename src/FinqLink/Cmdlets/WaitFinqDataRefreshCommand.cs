using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
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
        private readonly Dictionary<string, string> _consentOfJob = new Dictionary<string, string>(StringComparer.Ordinal);

        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [Alias("consent_id")]
        public string ConsentId { get; set; } = "";

        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [Alias("job_id")]
        public string JobId { get; set; } = "";

        protected override string Activity => "Waiting for data refreshes";

        protected override string Goal => RefreshStatuses.Completed;

        protected override void ProcessRecord()
        {
            _consentOfJob[JobId] = ConsentId;
            Track(JobId, JobId);
        }

        internal override async Task<(IReadOnlyDictionary<string, object> Found, IReadOnlyDictionary<string, Exception> Failed)> PollAsync(
            FinqLinkClient client, IReadOnlyCollection<string> ids, RequestOptions options, CancellationToken cancellationToken)
        {
            var wanted = ids.ToDictionary(id => id, id => _consentOfJob[id], StringComparer.Ordinal);
            var result = await client.DataRefreshes.GetManyAsync(wanted, options, cancellationToken).ConfigureAwait(false);
            return (result.Found.ToDictionary(f => f.Key, f => (object)f.Value), result.Failed);
        }

        protected override bool Reached(object item) => ((DataRefresh)item).Succeeded;

        protected override bool CannotReach(object item) => ((DataRefresh)item).IsFinal;

        protected override string? StatusOf(object item) => ((DataRefresh)item).Status;

        protected override object Finish(object item, object? input)
        {
            var job = (DataRefresh)item;
            if (job.Status == RefreshStatuses.PartiallyCompleted)
                WriteWarning($"{job.JobId}: the refresh completed only partly; some of the consent's data may be from an earlier refresh.");
            return job;
        }
    }
}
