using System;
using System.Linq;
using System.Management.Automation;
using FinqLink.Ledger;
using FinqLink.Models;
using FinqLink.Options;
using FinqLink.Paging;
using FinqLink.PowerShell.Infrastructure;
using FinqLink.Validation;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>
    /// Gets payment links by id, lists them (newest first) with paging that streams, or reads a bulk run's journal as its
    /// ledger (-JournalPath). The API sends no reference or amount, so links by id keep the ones piped in with them, and
    /// links nothing knows more of are marked for the LinkId-led view (<see cref="LinksFromApi"/>).
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "FinqLink", DefaultParameterSetName = ListSet, SupportsPaging = true)]
    [OutputType(typeof(PaymentLink), ParameterSetName = new[] { ListSet, IdSet })]
    [OutputType(typeof(LedgerRow), ParameterSetName = new[] { JournalSet })]
    public sealed partial class GetFinqLinkCommand : FinqCmdlet
    {
        private const string ListSet = "List", IdSet = "ById", JournalSet = "Journal";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [Alias("link_id", "Id")]
        public string[] LinkId { get; set; } = Array.Empty<string>();

        /// <summary>What the link was created for, carried from the input (New-FinqLink's output, a CSV of it): the API does not send it.</summary>
        [Parameter(ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        public string? Reference { get; set; }

        [Parameter(ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        public object? Amount { get; set; }

        [Parameter(ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        public string? Currency { get; set; }

        [Parameter(ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
        [AllowNull, AllowEmptyString]
        public string? RemittanceInformation { get; set; }

        [Parameter(ParameterSetName = ListSet)]
        [Parameter(ParameterSetName = JournalSet)]
        [ValidateSet("created", "started", "requested", "intent_accepted", "awaiting_authz", "received", "submitted", "completed",
            "failed", "revoked", "funds_received", "funds_rejected")]
        public string[]? Status { get; set; }

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
            else if (ParameterSetName == JournalSet) ReadLedger();
            else List();
        }

        private void GetById()
        {
            var currency = string.IsNullOrWhiteSpace(Currency) ? null : Currency!.Trim().ToUpperInvariant();
            decimal? amount = null;
            var given = RowValues.Unwrap(Amount);
            if (given != null && !(given is string blank && blank.Trim().Length == 0))
            {
                // The amount as the input wrote it, read as New-FinqLink reads one: never reinterpreted.
                try { amount = Amounts.Read(ApiFields.Amount, given, currency ?? ""); }
                catch (FinqLinkValidationException invalid)
                {
                    WriteError(ErrorRecords.From(invalid, Reference ?? (object)string.Join(", ", LinkId)));
                    return;
                }
            }
            foreach (var id in LinkId)
            {
                try
                {
                    var link = Run((client, options, ct) => client.Links.GetAsync(id, options, ct));
                    // The API sends none of these; should a later version send one, its value is kept.
                    link.Reference ??= string.IsNullOrWhiteSpace(Reference) ? null : Reference;
                    link.Amount ??= amount;
                    link.Currency ??= currency;
                    link.RemittanceInformation ??= string.IsNullOrEmpty(RemittanceInformation) ? null : RemittanceInformation;
                    WriteObject(LinksFromApi.Mark(link));
                }
                catch (Exception e) when (!(e is PipelineStoppedException)) { WriteItemError(e, id); }
            }
        }

        private void List()
        {
            // links/list filters by one status; several are filtered here, from an unfiltered listing.
            var filter = new LinkListOptions { Status = Status?.Length == 1 ? Status[0] : null, CreatedFrom = CreatedAfter, CreatedTo = CreatedBefore };
            var wanted = Status?.Length > 1 ? Status : null;
            try
            {
                WritePages("Listing payment links", PageSize, (client, paging, options, ct) => client.Links.List(filter, paging, options, ct),
                    LinksFromApi.Mark, wanted == null ? null : l => wanted.Contains(l.Status));
            }
            catch (Exception e) when (!(e is PipelineStoppedException)) { WriteItemError(e, null); }
        }
    }
}
