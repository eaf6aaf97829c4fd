using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using FinqLink.LocalSandbox;
using FinqLink.PowerShell.Infrastructure;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>
    /// The local sandbox's webhook delivery log, one typed row per attempt, in the manner of <c>stripe logs tail</c>:
    /// what was sent about which link, consent or job, where, what the receiver answered and how fast. -Follow keeps
    /// streaming new attempts until Ctrl+C.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "FinqLinkSandboxWebhook")]
    [OutputType(typeof(SandboxWebhookDelivery))]
    public sealed class GetFinqLinkSandboxWebhookCommand : SandboxCmdlet
    {
        /// <summary>How long one read waits for the next attempt; the control client's own timeout is longer.</summary>
        private static readonly TimeSpan FollowWait = TimeSpan.FromSeconds(20);
        private readonly List<string> _ids = new List<string>();

        /// <summary>Only the webhooks about this link, consent or job (a consent's include its refresh jobs'); binds from piped objects.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("LinkId", "ConsentId", "JobId")]
        public string? Id { get; set; }

        /// <summary>Keeps waiting for new attempts and writes each as it ends, until Ctrl+C.</summary>
        [Parameter]
        [Alias("Wait")]
        public SwitchParameter Follow { get; set; }

        /// <summary>Only the last N attempts already logged (with -Follow, 0 shows only new ones).</summary>
        [Parameter]
        [Alias("Last")]
        [ValidateRange(0, int.MaxValue)]
        public int? Tail { get; set; }

        [Parameter]
        public FinqLinkSandbox? Sandbox { get; set; }

        /// <summary>A sandbox started elsewhere (another process, a container): its loopback base URI.</summary>
        [Parameter]
        public Uri? BaseUri { get; set; }

        protected override void ProcessRecord()
        {
            if (!string.IsNullOrWhiteSpace(Id)) _ids.Add(Id!.Trim());
        }

        protected override void EndProcessing()
        {
            SandboxControlClient control;
            var target = ControlTarget(BaseUri, Sandbox);
            try { control = new SandboxControlClient(target); }
            catch (ArgumentException e)
            {
                ThrowTerminatingError(new ErrorRecord(e, "FinqLink.Sandbox.ControlFailed", ErrorCategory.InvalidArgument, BaseUri));
                return;
            }
            // One id is filtered by the sandbox; several (piped) are filtered here.
            var serverId = _ids.Count == 1 ? _ids[0] : null;
            bool Wanted(SandboxWebhookDelivery d) => _ids.Count < 2 || _ids.Any(id => id == d.LinkId || id == d.ConsentId || id == d.JobId);
            try
            {
                var page = Await(ct => control.GetWebhookLogAsync(0, serverId, TimeSpan.Zero, ct));
                var logged = InStoryOrder(page.Entries.Where(Wanted)).ToList();
                WriteAll(Tail is int n ? logged.Skip(Math.Max(0, logged.Count - n)) : logged);
                var cursor = page.Last;
                while (Follow)
                {
                    page = Await(ct => control.GetWebhookLogAsync(cursor, serverId, FollowWait, ct));
                    WriteAll(InStoryOrder(page.Entries.Where(Wanted)));
                    cursor = page.Last;
                }
            }
            catch (Exception e) when (e is InvalidOperationException || e is System.Net.Http.HttpRequestException)
            {
                WriteError(new ErrorRecord(e, "FinqLink.Sandbox.ControlFailed", ErrorCategory.InvalidOperation, serverId));
            }
        }

        /// <summary>
        /// Deliveries run side by side, so attempts may end out of order; within what one read brings, they are shown in the
        /// order the webhooks were sent, each delivery's retries after its first attempt.
        /// </summary>
        private static IEnumerable<SandboxWebhookDelivery> InStoryOrder(IEnumerable<SandboxWebhookDelivery> deliveries) =>
            deliveries.OrderBy(d => d.DeliveryId).ThenBy(d => d.Attempt);

        private void WriteAll(IEnumerable<SandboxWebhookDelivery> deliveries)
        {
            foreach (var delivery in deliveries) WriteObject(delivery);
        }
    }
}
