using System;
using System.Management.Automation;
using FinqLink.Models.Data;
using FinqLink.Options;
using FinqLink.PowerShell.Infrastructure;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>Gets the accounts a consent gives access to, each with its latest balances (from the last data refresh).</summary>
    [Cmdlet(VerbsCommon.Get, "FinqAccount")]
    [OutputType(typeof(Account))]
    public sealed class GetFinqAccountCommand : FinqCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [Alias("consent_id")]
        public string ConsentId { get; set; } = "";

        [Parameter]
        [ArgumentCompleter(typeof(CurrencyCompleter))]
        public string? Currency { get; set; }

        /// <summary>The bank's account type, e.g. "Personal current account".</summary>
        [Parameter]
        public string? AccountType { get; set; }

        /// <summary>The account sub-type, e.g. "CurrentAccount".</summary>
        [Parameter]
        public string? AccountSubType { get; set; }

        protected override void ProcessRecord()
        {
            try
            {
                var filter = new AccountListOptions { Currency = Currency, AccountType = AccountType, AccountSubType = AccountSubType };
                var accounts = Run((client, options, ct) => client.Accounts.ListAsync(ConsentId, filter, options, ct));
                foreach (var account in accounts)
                {
                    foreach (var balance in account.Balances ?? Array.Empty<Balance>()) balance.ConsentId = ConsentId;
                    WriteObject(account);
                }
            }
            catch (Exception e) when (!(e is PipelineStoppedException)) { WriteItemError(e, ConsentId); }
        }
    }
}
