using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Text.Json.Nodes;
using System.Threading;
using FinqLink.Models;
using FinqLink.PowerShell.Infrastructure;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>
    /// Waits until payment links reach a final status (or one of -Status), polling every link given on the pipeline
    /// together and writing each as soon as it gets there.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Wait, "FinqLink")]
    [OutputType(typeof(PaymentLink))]
    public sealed class WaitFinqLinkCommand : FinqCmdlet
    {
        private readonly List<string> _linkIds = new List<string>();

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [Alias("link_id", "Id")]
        public string[] LinkId { get; set; } = new string[0];

        /// <summary>Statuses to wait for; by default any final one (completed, failed, revoked, funds_received, funds_rejected).</summary>
        [Parameter]
        [ValidateSet("created", "started", "requested", "intent_accepted", "awaiting_authz", "received", "submitted", "completed",
            "failed", "revoked", "funds_received", "funds_rejected")]
        public string[]? Status { get; set; }

        [Parameter]
        [ValidateRange(1, 604800)]
        public int TimeoutSec { get; set; } = 600;

        [Parameter]
        [ValidateRange(0.05, 3600)]
        public double PollIntervalSec { get; set; } = 2;

        protected override void ProcessRecord()
        {
            foreach (var id in LinkId)
                if (!_linkIds.Contains(id)) _linkIds.Add(id);
        }

        protected override void EndProcessing()
        {
            var waiting = new Dictionary<string, PaymentLink?>(StringComparer.Ordinal);
            foreach (var id in _linkIds) waiting[id] = null;
            var total = waiting.Count;
            var clock = Stopwatch.StartNew();
            var progress = new ProgressRecord(2, "Waiting for payment links", "Polling");
            while (waiting.Count > 0 && !StopToken.IsCancellationRequested)
            {
                foreach (var id in waiting.Keys.ToList())
                {
                    try
                    {
                        var link = Run((client, ct) => client.PostAsync<PaymentLink>("links/get", new JsonObject { ["link_id"] = id }, ReadOptions, ct));
                        waiting[id] = link;
                        if (!Reached(link))
                        {
                            if (!link.IsFinal && link.IsExpired != true) continue;
                            waiting.Remove(id);
                            WriteError(new ErrorRecord(new InvalidOperationException($"{id}: ended as '{link.Status}' without reaching {string.Join(" or ", Status!)}."),
                                "FinqLink.WaitUnreachable", ErrorCategory.InvalidResult, link));
                            continue;
                        }
                        waiting.Remove(id);
                        WriteObject(link);
                    }
                    catch (Exception e) when (!(e is PipelineStoppedException) && !(e is OperationCanceledException))
                    {
                        waiting.Remove(id);
                        WriteItemError(e, id);
                    }
                }
                if (waiting.Count == 0) break;
                if (clock.Elapsed.TotalSeconds >= TimeoutSec)
                {
                    foreach (var pending in waiting)
                        WriteError(new ErrorRecord(
                            new TimeoutException($"{pending.Key}: still '{pending.Value?.Status}' after {TimeoutSec} s."),
                            "FinqLink.WaitTimeout", ErrorCategory.OperationTimeout, (object?)pending.Value ?? pending.Key));
                    break;
                }
                progress.StatusDescription = $"{total - waiting.Count} of {total} done; {waiting.Count} waiting ({clock.Elapsed.TotalSeconds:0} s)";
                progress.PercentComplete = total == 0 ? 100 : (total - waiting.Count) * 100 / total;
                WriteProgress(progress);
                StopToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(PollIntervalSec));
            }
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
        }

        private bool Reached(PaymentLink link) =>
            Status == null ? link.IsFinal || link.IsExpired == true : Status.Contains(link.Status);
    }
}
