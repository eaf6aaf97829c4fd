using System;
using System.Linq;
using System.Management.Automation;
using FinqLink.Models;
using FinqLink.PowerShell.Infrastructure;
using FinqLink.Waiting;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>
    /// Waits until payment links reach a final status (or one of -Status), polling every link given on the pipeline
    /// together and writing each as soon as it gets there, with what the input knew of it (Reference, Amount, Currency).
    /// </summary>
    [Cmdlet(VerbsLifecycle.Wait, "FinqLink")]
    [OutputType(typeof(PaymentLink))]
    public sealed class WaitFinqLinkCommand : FinqWaitCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [Alias("link_id")]
        public string[] LinkId { get; set; } = Array.Empty<string>();

        /// <summary>Statuses to wait for; by default any final one. funds_received/funds_rejected come after completed (libra_ro).</summary>
        [Parameter]
        [ValidateSet("created", "started", "requested", "intent_accepted", "awaiting_authz", "received", "submitted", "completed",
            "failed", "revoked", "funds_received", "funds_rejected")]
        public string[]? Status { get; set; }

        /// <summary>The piped object (a link from New-FinqLink or Get-FinqLink keeps its Reference, Amount and Currency).</summary>
        [Parameter(ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }

        internal override string Activity => "Waiting for payment links";

        protected override void ProcessRecord()
        {
            foreach (var id in LinkId) Track(id, PaymentLinkView.Unwrap(InputObject?.BaseObject) ?? id);
        }

        internal override void Wait()
        {
            var created = Inputs.OfType<PaymentLink>().Where(l => l.CreatedAt != null).Select(l => l.CreatedAt!.Value).ToList();
            Wait(new LinkGoal(Client, Logged, Status, created.Count > 0 ? created.Min() : (DateTimeOffset?)null), (link, input) => Finish(link, input));
        }

        // A link from New-FinqLink, or its input row from New-FinqLink -PassThru: both carry the row's reference.
        protected override string NameOf(string id, object? input)
        {
            var reference = input is PaymentLink link ? link.Reference : (input as PSObject)?.Properties["Reference"]?.Value as string;
            return string.IsNullOrWhiteSpace(reference) ? id : $"{reference} ({id})";
        }

        private static object Finish(PaymentLink link, object? input)
        {
            if (input is PaymentLink known)
            {
                link.Reference ??= known.Reference;
                link.Amount ??= known.Amount;
                link.Currency ??= known.Currency;
                link.RemittanceInformation ??= known.RemittanceInformation;
            }
            return LinksFromApi.Mark(link);
        }
    }
}
