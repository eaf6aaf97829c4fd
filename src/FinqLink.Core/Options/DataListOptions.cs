using System;
using System.Text.Json.Nodes;
using FinqLink.Validation;

namespace FinqLink.Options
{
    /// <summary>The filter of ais/accounts/list.</summary>
    public sealed class AccountListOptions
    {
        public string? Currency { get; set; }
        public string? AccountType { get; set; }
        public string? AccountSubType { get; set; }

        internal JsonObject ToFilter()
        {
            var filter = new JsonObject();
            if (!string.IsNullOrEmpty(Currency)) filter["currency"] = Rules.Currency(ApiFields.FilterCurrency, Currency);
            BodyFields.Put(filter, "account_type", Rules.MaxLength(ApiFields.AccountType, AccountType, 128));
            BodyFields.Put(filter, "account_sub_type", Rules.MaxLength(ApiFields.AccountSubType, AccountSubType, 128));
            return filter;
        }
    }

    /// <summary>The filter of ais/balances/list.</summary>
    public sealed class BalanceListOptions
    {
        public string? AccountId { get; set; }
        public string? Type { get; set; }
        public string? Currency { get; set; }

        internal JsonObject ToFilter()
        {
            var filter = new JsonObject();
            BodyFields.Put(filter, "account_id", Rules.MaxLength(ApiFields.AccountId, AccountId, 64));
            BodyFields.Put(filter, "type", Rules.MaxLength(ApiFields.BalanceType, Type, 64));
            if (!string.IsNullOrEmpty(Currency)) filter["currency"] = Rules.Currency(ApiFields.FilterCurrency, Currency);
            return filter;
        }
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

        internal JsonObject ToFilter()
        {
            var filter = new JsonObject();
            BodyFields.Put(filter, "account_id", Rules.MaxLength(ApiFields.AccountId, AccountId, 64));
            if (!string.IsNullOrEmpty(Currency)) filter["currency"] = Rules.Currency(ApiFields.FilterCurrency, Currency);
            if (MinimumAmount is decimal min) filter["amount_min"] = Bound(ApiFields.AmountMin, min);
            if (MaximumAmount is decimal max) filter["amount_max"] = Bound(ApiFields.AmountMax, max);
            if (MinimumAmount > MaximumAmount) throw new FinqLinkValidationException(ApiFields.AmountMin, $"must not be greater than {ApiFields.AmountMax.Path}");
            Rules.Ordered(ApiFields.BookedFrom, BookedFrom, ApiFields.BookedTo, BookedTo);
            BodyFields.PutTime(filter, "booking_date_from", BookedFrom);
            BodyFields.PutTime(filter, "booking_date_to", BookedTo);
            Rules.Ordered(ApiFields.UpdatedFrom, UpdatedFrom, ApiFields.UpdatedTo, UpdatedTo);
            BodyFields.PutTime(filter, "updated_from", UpdatedFrom);
            BodyFields.PutTime(filter, "updated_to", UpdatedTo);
            BodyFields.Put(filter, "credit_debit_indicator", Rules.OneOf(ApiFields.Direction, CreditDebitIndicator));
            BodyFields.Put(filter, "status", Rules.OneOf(ApiFields.TransactionStatus, Status));
            return filter;
        }

        private static string Bound(ApiField field, decimal value)
        {
            if (value < 0) throw new FinqLinkValidationException(field, "must not be negative: amounts are positive, the credit/debit indicator gives the direction");
            if (decimal.Round(value, 3) != value) throw new FinqLinkValidationException(field, $"must have at most 3 decimal places (got {value})");
            return value.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The filter of links/list.</summary>
    public sealed class LinkListOptions
    {
        public string? Status { get; set; }
        public DateTimeOffset? CreatedFrom { get; set; }
        public DateTimeOffset? CreatedTo { get; set; }

        internal JsonObject ToFilter()
        {
            var filter = new JsonObject();
            BodyFields.Put(filter, "status", Rules.OneOf(ApiFields.LinkStatus, string.IsNullOrEmpty(Status) ? null : Status));
            Rules.Ordered(ApiFields.CreatedFrom, CreatedFrom, ApiFields.CreatedTo, CreatedTo);
            BodyFields.PutTime(filter, "inserted_at_from", CreatedFrom);
            BodyFields.PutTime(filter, "inserted_at_to", CreatedTo);
            return filter;
        }
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

        internal JsonObject ToBody()
        {
            var options = new JsonObject();
            if (IncludePaymentMethods) options["show_payment_methods"] = true;
            if (IncludeValidationSchema) options["show_validation_schema"] = true;
            var filter = new JsonObject();
            BodyFields.PutList(filter, "account_owner_type", AccountOwnerType, ApiFields.AisFilterOwnerType);
            BodyFields.Put(filter, "interface_type", Rules.MaxLength(ApiFields.AisFilterInterfaceType, InterfaceType, 64));
            BodyFields.Put(filter, "interface_env", Rules.OneOf(ApiFields.AisFilterEnvironment, InterfaceEnvironment));
            if (IncludeAisMethods || filter.Count > 0) options["show_ais_methods"] = true;
            if (filter.Count > 0) options["ais_methods_filter"] = filter;
            return options.Count > 0 ? new JsonObject { ["options"] = options } : new JsonObject();
        }
    }
}
