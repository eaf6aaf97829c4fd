using System;
using System.Management.Automation;
using System.Text.Json.Nodes;
using FinqLink.Models;
using FinqLink.Paging;
using FinqLink.PowerShell.Infrastructure;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>Gets payment links by id, or lists them (newest first) with paging that streams.</summary>
    [Cmdlet(VerbsCommon.Get, "FinqLink", DefaultParameterSetName = ListSet, SupportsPaging = true)]
    [OutputType(typeof(PaymentLink))]
    public sealed class GetFinqLinkCommand : FinqCmdlet
    {
        private const string ListSet = "List", IdSet = "ById";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [Alias("link_id", "Id")]
        public string[] LinkId { get; set; } = new string[0];

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
        [ValidateRange(1, KeysetPager.MaxPageSize)]
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
                    if (id.Length != 36) throw new Validation.FinqLinkValidationException(nameof(LinkId), $"'{id}' must be exactly 36 characters (a UUID)");
                    var body = new JsonObject { ["link_id"] = id };
                    WriteObject(Run((client, ct) => client.PostAsync<PaymentLink>("links/get", body, ReadOptions, ct)));
                }
                catch (Exception e) when (!(e is PipelineStoppedException)) { WriteItemError(e, id); }
            }
        }

        private void List()
        {
            if (CreatedAfter > CreatedBefore)
            {
                WriteItemError(new Validation.FinqLinkValidationException(nameof(CreatedAfter), "must not be later than CreatedBefore"), null);
                return;
            }
            var filter = new JsonObject();
            if (Status != null) filter["status"] = Status;
            if (CreatedAfter is DateTimeOffset after) filter["inserted_at_from"] = Timestamp.Format(after);
            if (CreatedBefore is DateTimeOffset before) filter["inserted_at_to"] = Timestamp.Format(before);
            var body = filter.Count > 0 ? new JsonObject { ["filter"] = filter } : new JsonObject();
            Paged.Write(this, Client, "links/list", body, "links", PageSize, ReadOptions, "Listing payment links", StopToken,
                (PaymentLink link) => link);
        }
    }
}
