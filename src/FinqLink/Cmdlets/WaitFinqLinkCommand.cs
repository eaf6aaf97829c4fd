using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Http;
using FinqLink.Models;
using FinqLink.PowerShell.Infrastructure;

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

        protected override string Activity => "Waiting for payment links";

        protected override string Goal => Status == null ? "a final status" : string.Join(" or ", Status);

        protected override void ProcessRecord()
        {
            foreach (var id in LinkId) Track(id, InputObject?.BaseObject ?? (object?)id);
        }

        internal override async Task<(IReadOnlyDictionary<string, object> Found, IReadOnlyDictionary<string, Exception> Failed)> PollAsync(
            FinqLinkClient client, IReadOnlyCollection<string> ids, RequestOptions options, CancellationToken cancellationToken)
        {
            var created = Inputs.OfType<PaymentLink>().Where(l => l.CreatedAt != null).Select(l => l.CreatedAt!.Value).ToList();
            var result = await client.Links.GetManyAsync(ids, created.Count > 0 ? created.Min() : (DateTimeOffset?)null, options, cancellationToken).ConfigureAwait(false);
            return (result.Found.ToDictionary(f => f.Key, f => (object)f.Value), result.Failed);
        }

        protected override bool Reached(object item)
        {
            var link = (PaymentLink)item;
            return Status == null ? LinkStatuses.IsFinal(link.Status) : Status.Contains(link.Status);
        }

        protected override bool CannotReach(object item)
        {
            var link = (PaymentLink)item;
            if (link.IsExpired == true) return true;
            if (Status == null) return false;
            if (LinkStatuses.IsTerminal(link.Status)) return true;
            if (link.Status == LinkStatuses.Completed) return !Status.Any(LinkStatuses.AfterCompletion.Contains);
            // Along the payment's path (created … completed) a link never goes back.
            var path = Array.IndexOf(LinkStatuses.All, LinkStatuses.Completed);
            var now = Array.IndexOf(LinkStatuses.All, link.Status);
            var wanted = Status.Select(s => Array.IndexOf(LinkStatuses.All, s)).ToList();
            return now >= 0 && now <= path && wanted.All(w => w >= 0 && w < now);
        }

        protected override string? StatusOf(object item)
        {
            var link = (PaymentLink)item;
            return link.Status + (link.IsExpired == true ? " (expired)" : "");
        }

        protected override string? ActionUrlOf(object item)
        {
            var link = (PaymentLink)item;
            return link.Status == LinkStatuses.Created ? link.WebUrl : null;     // started: the payer has opened it already
        }

        // A link from New-FinqLink, or its input row from New-FinqLink -PassThru: both carry the row's reference.
        protected override string NameOf(string id, object? input)
        {
            var reference = input is PaymentLink link ? link.Reference : (input as PSObject)?.Properties["Reference"]?.Value as string;
            return string.IsNullOrWhiteSpace(reference) ? id : $"{reference} ({id})";
        }

        protected override object Finish(object item, object? input)
        {
            var link = (PaymentLink)item;
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
