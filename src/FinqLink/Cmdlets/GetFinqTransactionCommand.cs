using System;
using System.Management.Automation;
using FinqLink.Models.Data;
using FinqLink.Options;
using FinqLink.Paging;
using FinqLink.PowerShell.Infrastructure;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>
    /// Streams a consent's transactions, newest booking first, one page in memory at a time. Amounts are positive:
    /// CreditDebitIndicator says which way the money moved, and SignedAmount (credit +, debit −) is safe to sum.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "FinqTransaction", SupportsPaging = true)]
    [OutputType(typeof(Transaction))]
    public sealed class GetFinqTransactionCommand : FinqCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [Alias("consent_id")]
        public string ConsentId { get; set; } = "";

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("account_id")]
        public string? AccountId { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(CurrencyCompleter))]
        public string? Currency { get; set; }

        /// <summary>Only transactions of at least this (positive) amount.</summary>
        [Parameter]
        [Alias("AmountMin")]
        public decimal? MinimumAmount { get; set; }

        [Parameter]
        [Alias("AmountMax")]
        public decimal? MaximumAmount { get; set; }

        /// <summary>Only transactions booked at or after this time.</summary>
        [Parameter]
        [Alias("From")]
        public DateTimeOffset? BookedFrom { get; set; }

        [Parameter]
        [Alias("To")]
        public DateTimeOffset? BookedTo { get; set; }

        /// <summary>Only transactions changed at or after this time: for incremental syncs.</summary>
        [Parameter]
        public DateTimeOffset? UpdatedFrom { get; set; }

        [Parameter]
        public DateTimeOffset? UpdatedTo { get; set; }

        [Parameter]
        [ValidateSet("credit", "debit")]
        [Alias("Direction")]
        public string? CreditDebitIndicator { get; set; }

        [Parameter]
        [ValidateSet("booked", "pending")]
        public string? Status { get; set; }

        [Parameter]
        [ValidateRange(1, PageOptions.MaxPageSize)]
        public int PageSize { get; set; } = PageOptions.MaxPageSize;

        protected override void ProcessRecord()
        {
            var filter = new TransactionListOptions
            {
                AccountId = AccountId, Currency = Currency, MinimumAmount = MinimumAmount, MaximumAmount = MaximumAmount,
                BookedFrom = BookedFrom, BookedTo = BookedTo, UpdatedFrom = UpdatedFrom, UpdatedTo = UpdatedTo,
                CreditDebitIndicator = CreditDebitIndicator, Status = Status,
            };
            WriteConsentPages(ConsentId, "transactions", PageSize, (client, paging, options, ct) => client.Transactions.List(ConsentId, filter, paging, options, ct));
        }
    }
}
