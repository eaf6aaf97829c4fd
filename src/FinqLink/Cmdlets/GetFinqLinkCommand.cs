using System;
using System.Linq;
using System.Management.Automation;
using FinqLink.Models;
using FinqLink.Options;
using FinqLink.Paging;
using FinqLink.PowerShell.Infrastructure;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>
    /// Gets payment links by id, or lists them (newest first) with paging that streams. The API sends no reference or
    /// amount for them, so they are marked for the LinkId-led view (<see cref="LinksFromApi"/>).
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "FinqLink", DefaultParameterSetName = ListSet, SupportsPaging = true)]
    [OutputType(typeof(PaymentLink))]
    public sealed class GetFinqLinkCommand : FinqCmdlet
    {
        private const string ListSet = "List", IdSet = "ById";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [Alias("link_id", "Id")]
        public string[] LinkId { get; set; } = Array.Empty<string>();

        [Parameter(ParameterSetName = ListSet)]
        [ValidateSet("created", "started", "requested", "intent_accepted", "awaiting_authz", "received", "submitted", "completed",
            "failed", "revoked", "funds_received", "funds_rejected")]
        public string? Status { get; set; }

        [Parameter(ParameterSetName = ListSet)]
        public DateTimeOffset? CreatedAfter { get; set; }

        [Parameter(ParameterSetName = ListSet)]
        public DateTimeOffset? CreatedBefore { get; set; }

        /// <summary>Links asked for per request (1–250). -First lowers it so a short list costs one request.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateRange(1, PageOptions.MaxPageSize)]
        public int PageSize { get; set; } = 100;

        protected override void ProcessRecord()
        {
            if (ParameterSetName == IdSet) GetById();
            else List();
        }

        private void GetById()
        {
            foreach (var id in LinkId)
            {
                try
                {
                    WriteObject(LinksFromApi.Mark(Run((client, options, ct) => client.Links.GetAsync(id, options, ct))));
                }
                catch (Exception e) when (!(e is PipelineStoppedException)) { WriteItemError(e, id); }
            }
        }

        private void List()
        {
            var filter = new LinkListOptions { Status = Status, CreatedFrom = CreatedAfter, CreatedTo = CreatedBefore };
            try { WritePages("Listing payment links", PageSize, (client, paging, options, ct) => client.Links.List(filter, paging, options, ct), LinksFromApi.Mark); }
            catch (Exception e) when (!(e is PipelineStoppedException)) { WriteItemError(e, null); }
        }
    }
}
