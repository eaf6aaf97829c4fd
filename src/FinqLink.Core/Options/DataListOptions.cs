using System;

namespace FinqLink.Options
{
    /// <summary>The filter of ais/accounts/list.</summary>
    public sealed class AccountListOptions
    {
        public string? Currency { get; set; }
        public string? AccountType { get; set; }
        public string? AccountSubType { get; set; }
    }

    /// <summary>The filter of ais/balances/list.</summary>
    public sealed class BalanceListOptions
    {
        public string? AccountId { get; set; }
        public string? Type { get; set; }
        public string? Currency { get; set; }
    }

    /// <summary>The filter of ais/transactions/list. Amounts compare the positive amount, whatever the direction.</summary>
    public sealed class TransactionListOptions
    {
        public string? AccountId { get; set; }
        public string? Currency { get; set; }
        public decimal? MinimumAmount { get; set; }
        public decimal? MaximumAmount { get; set; }
        public DateTimeOffset? BookedFrom { get; set; }
        public DateTimeOffset? BookedTo { get; set; }
        public DateTimeOffset? UpdatedFrom { get; set; }
        public DateTimeOffset? UpdatedTo { get; set; }
        public string? CreditDebitIndicator { get; set; }
        public string? Status { get; set; }

    }

    /// <summary>The filter of links/list.</summary>
    public sealed class LinkListOptions
    {
        public string? Status { get; set; }
        public DateTimeOffset? CreatedFrom { get; set; }
        public DateTimeOffset? CreatedTo { get; set; }
    }

    /// <summary>What providers/list and providers/get include, and the AIS-method filter.</summary>
    public sealed class ProviderListOptions
    {
        public bool IncludePaymentMethods { get; set; }
        public bool IncludeValidationSchema { get; set; }
        public bool IncludeAisMethods { get; set; }
        public string[]? AccountOwnerType { get; set; }
        public string? InterfaceType { get; set; }
        public string? InterfaceEnvironment { get; set; }
    }
}
