using System.Management.Automation;
using FinqLink.Models.Data;
using FinqLink.Options;
using FinqLink.Paging;
using FinqLink.PowerShell.Infrastructure;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>
    /// Gets the balance history of a consent's accounts, account by account and each account's newest first, streaming
    /// page by page. Amounts are positive; CreditDebitIndicator "debit" means overdrawn, and SignedAmount applies the sign.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "FinqBalance", SupportsPaging = true)]
    [OutputType(typeof(Balance))]
    public sealed class GetFinqBalanceCommand : FinqCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [Alias("consent_id")]
        public string ConsentId { get; set; } = "";

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("account_id")]
        public string? AccountId { get; set; }

        /// <summary>The balance type, e.g. available, closing_booked, interim_available.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(BalanceTypeCompleter))]
        public string? Type { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(CurrencyCompleter))]
        public string? Currency { get; set; }

        [Parameter]
        [ValidateRange(1, PageOptions.MaxPageSize)]
        public int PageSize { get; set; } = 100;

        protected override void ProcessRecord()
        {
            var consentId = ConsentId;
            var filter = new BalanceListOptions { AccountId = AccountId, Type = Type, Currency = Currency };
            WriteConsentPages(consentId, "balances", PageSize, (client, paging, options, ct) => AccountId != null
                ? client.Balances.List(consentId, filter, paging, options, ct)
                : client.Balances.ListByAccount(consentId, filter, paging, options, ct));
        }
    }
}
