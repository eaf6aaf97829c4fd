using System.Text.Json.Serialization;

namespace FinqLink.Requests
{
    /// <summary>The body of a keyset-paged list: the consent (for AIS lists), the validated filter and the page wanted.</summary>
    public sealed class ListRequest<TFilter> : Http.IPaged<ListRequest<TFilter>> where TFilter : class
    {
        internal ListRequest(string? consentId, TFilter? filter, PageRequest? pagination)
        {
            ConsentId = consentId;
            Filter = filter;
            Pagination = pagination;
        }

        [JsonPropertyName("consent_id")] public string? ConsentId { get; }
        [JsonPropertyName("filter")] public TFilter? Filter { get; }
        [JsonPropertyName("pagination")] public PageRequest? Pagination { get; }

        ListRequest<TFilter> Http.IPaged<ListRequest<TFilter>>.ForPage(PageRequest page) => new ListRequest<TFilter>(ConsentId, Filter, page);
    }

    /// <summary>pagination: how many items, after which cursor.</summary>
    public sealed class PageRequest
    {
        internal PageRequest(int limit, string? after)
        {
            Limit = limit;
            After = after;
        }

        [JsonPropertyName("limit")] public int Limit { get; }
        [JsonPropertyName("after")] public string? After { get; }
    }

    /// <summary>The filter of ais/accounts/list.</summary>
    public sealed class AccountFilter
    {
        internal AccountFilter(string? currency, string? accountType, string? accountSubType)
        {
            Currency = currency;
            AccountType = accountType;
            AccountSubType = accountSubType;
        }

        [JsonPropertyName("currency")] public string? Currency { get; }
        [JsonPropertyName("account_type")] public string? AccountType { get; }
        [JsonPropertyName("account_sub_type")] public string? AccountSubType { get; }
    }

    /// <summary>The filter of ais/balances/list.</summary>
    public sealed class BalanceFilter
    {
        internal BalanceFilter(string? accountId, string? type, string? currency)
        {
            AccountId = accountId;
            Type = type;
            Currency = currency;
        }

        [JsonPropertyName("account_id")] public string? AccountId { get; }
        [JsonPropertyName("type")] public string? Type { get; }
        [JsonPropertyName("currency")] public string? Currency { get; }
    }

    /// <summary>The filter of ais/transactions/list: amounts as the API writes them, times as RFC 3339 text.</summary>
    public sealed class TransactionFilter
    {
        internal TransactionFilter(string? accountId, string? currency, string? amountMin, string? amountMax, string? bookedFrom, string? bookedTo,
            string? updatedFrom, string? updatedTo, string? creditDebitIndicator, string? status)
        {
            AccountId = accountId;
            Currency = currency;
            AmountMin = amountMin;
            AmountMax = amountMax;
            BookedFrom = bookedFrom;
            BookedTo = bookedTo;
            UpdatedFrom = updatedFrom;
            UpdatedTo = updatedTo;
            CreditDebitIndicator = creditDebitIndicator;
            Status = status;
        }

        [JsonPropertyName("account_id")] public string? AccountId { get; }
        [JsonPropertyName("currency")] public string? Currency { get; }
        [JsonPropertyName("amount_min")] public string? AmountMin { get; }
        [JsonPropertyName("amount_max")] public string? AmountMax { get; }
        [JsonPropertyName("booking_date_from")] public string? BookedFrom { get; }
        [JsonPropertyName("booking_date_to")] public string? BookedTo { get; }
        [JsonPropertyName("updated_from")] public string? UpdatedFrom { get; }
        [JsonPropertyName("updated_to")] public string? UpdatedTo { get; }
        [JsonPropertyName("credit_debit_indicator")] public string? CreditDebitIndicator { get; }
        [JsonPropertyName("status")] public string? Status { get; }
    }

    /// <summary>The filter of links/list.</summary>
    public sealed class LinkFilter
    {
        internal LinkFilter(string? status, string? createdFrom, string? createdTo)
        {
            Status = status;
            CreatedFrom = createdFrom;
            CreatedTo = createdTo;
        }

        [JsonPropertyName("status")] public string? Status { get; }
        [JsonPropertyName("inserted_at_from")] public string? CreatedFrom { get; }
        [JsonPropertyName("inserted_at_to")] public string? CreatedTo { get; }
    }

    /// <summary>The body of providers/list and providers/get.</summary>
    public sealed class ProviderRequest
    {
        internal ProviderRequest(string? providerId, ProviderInclude? options)
        {
            ProviderId = providerId;
            Options = options;
        }

        [JsonPropertyName("provider_id")] public string? ProviderId { get; }
        [JsonPropertyName("options")] public ProviderInclude? Options { get; }

        internal ProviderRequest For(string providerId) => new ProviderRequest(providerId, Options);
    }

    /// <summary>What providers/list includes, and the AIS-method filter.</summary>
    public sealed class ProviderInclude
    {
        internal ProviderInclude(bool? paymentMethods, bool? validationSchema, bool? aisMethods, AisMethodFilter? aisMethodsFilter)
        {
            ShowPaymentMethods = paymentMethods;
            ShowValidationSchema = validationSchema;
            ShowAisMethods = aisMethods;
            AisMethodsFilter = aisMethodsFilter;
        }

        [JsonPropertyName("show_payment_methods")] public bool? ShowPaymentMethods { get; }
        [JsonPropertyName("show_validation_schema")] public bool? ShowValidationSchema { get; }
        [JsonPropertyName("show_ais_methods")] public bool? ShowAisMethods { get; }
        [JsonPropertyName("ais_methods_filter")] public AisMethodFilter? AisMethodsFilter { get; }
    }

    /// <summary>ais_methods_filter of providers/list.</summary>
    public sealed class AisMethodFilter
    {
        internal AisMethodFilter(string[]? accountOwnerType, string? interfaceType, string? interfaceEnvironment)
        {
            AccountOwnerType = accountOwnerType;
            InterfaceType = interfaceType;
            InterfaceEnvironment = interfaceEnvironment;
        }

        [JsonPropertyName("account_owner_type")] public string[]? AccountOwnerType { get; }
        [JsonPropertyName("interface_type")] public string? InterfaceType { get; }
        [JsonPropertyName("interface_env")] public string? InterfaceEnvironment { get; }
    }
}
