using System.Linq;
using System.Management.Automation;
using FinqLink.Http;
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
    public sealed class WaitFinqLinkCommand : FinqWaitCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [Alias("link_id", "Id")]
        public string[] LinkId { get; set; } = new string[0];

        /// <summary>Statuses to wait for; by default any final one (completed, failed, revoked, funds_received, funds_rejected).</summary>
        [Parameter]
        [ValidateSet("created", "started", "requested", "intent_accepted", "awaiting_authz", "received", "submitted", "completed",
            "failed", "revoked", "funds_received", "funds_rejected")]
        public string[]? Status { get; set; }

        protected override string Activity => "Waiting for payment links";

        protected override string Goal => Status == null ? "a final status" : string.Join(" or ", Status);

        protected override void ProcessRecord()
        {
            foreach (var id in LinkId) Track(id, () => Requests.GetLink(id), id);
        }

        protected override object Fetch(ApiRequest request) => Send<PaymentLink>(request);

        protected override bool Reached(object item)
        {
            var link = (PaymentLink)item;
            return Status == null ? Ended(link) : Status.Contains(link.Status);
        }

        protected override bool CannotReach(object item) => Ended((PaymentLink)item);

        protected override string? StatusOf(object item)
        {
            var link = (PaymentLink)item;
            return link.Status + (link.IsExpired == true ? " (expired)" : "");
        }

        private static bool Ended(PaymentLink link) => link.IsFinal || link.IsExpired == true;
    }
}
