using System;
using System.Globalization;
using FinqLink.Options;
using FinqLink.Validation;

namespace FinqLink.Requests
{
    public static partial class RequestValidator
    {
        /// <summary>The filter of ais/accounts/list; null when nothing filters.</summary>
        public static AccountFilter? Accounts(AccountListOptions? options)
        {
            if (options == null) return null;
            var filter = new AccountFilter(Currency(options.Currency),
                NonEmpty(Rules.MaxLength(ApiFields.AccountType, options.AccountType, 128)),
                NonEmpty(Rules.MaxLength(ApiFields.AccountSubType, options.AccountSubType, 128)));
            return filter.Currency == null && filter.AccountType == null && filter.AccountSubType == null ? null : filter;
        }

        /// <summary>The filter of ais/balances/list; null when nothing filters.</summary>
        public static BalanceFilter? Balances(BalanceListOptions? options)
        {
            if (options == null) return null;
            var filter = new BalanceFilter(NonEmpty(Rules.MaxLength(ApiFields.AccountId, options.AccountId, 64)),
                NonEmpty(Rules.MaxLength(ApiFields.BalanceType, options.Type, 64)), Currency(options.Currency));
            return filter.AccountId == null && filter.Type == null && filter.Currency == null ? null : filter;
        }

        /// <summary>The filter of ais/transactions/list; null when nothing filters.</summary>
        public static TransactionFilter? Transactions(TransactionListOptions? options)
        {
            if (options == null) return null;
            var accountId = NonEmpty(Rules.MaxLength(ApiFields.AccountId, options.AccountId, 64));
            var currency = Currency(options.Currency);
            var min = options.MinimumAmount is decimal low ? Bound(ApiFields.AmountMin, low) : null;
            var max = options.MaximumAmount is decimal high ? Bound(ApiFields.AmountMax, high) : null;
            if (options.MinimumAmount > options.MaximumAmount) throw new FinqLinkValidationException(ApiFields.AmountMin, $"must not be greater than {ApiFields.AmountMax.Path}");
            Rules.Ordered(ApiFields.BookedFrom, options.BookedFrom, ApiFields.BookedTo, options.BookedTo);
            Rules.Ordered(ApiFields.UpdatedFrom, options.UpdatedFrom, ApiFields.UpdatedTo, options.UpdatedTo);
            var direction = NonEmpty(Rules.OneOf(ApiFields.Direction, options.CreditDebitIndicator));
            var status = NonEmpty(Rules.OneOf(ApiFields.TransactionStatus, options.Status));
            if (accountId == null && currency == null && min == null && max == null && options.BookedFrom == null && options.BookedTo == null
                && options.UpdatedFrom == null && options.UpdatedTo == null && direction == null && status == null) return null;
            return new TransactionFilter(accountId, currency, min, max, Time(options.BookedFrom), Time(options.BookedTo),
                Time(options.UpdatedFrom), Time(options.UpdatedTo), direction, status);
        }

        /// <summary>The filter of links/list; null when nothing filters.</summary>
        public static LinkFilter? Links(LinkListOptions? options)
        {
            if (options == null) return null;
            var status = NonEmpty(Rules.OneOf(ApiFields.LinkStatus, string.IsNullOrEmpty(options.Status) ? null : options.Status));
            Rules.Ordered(ApiFields.CreatedFrom, options.CreatedFrom, ApiFields.CreatedTo, options.CreatedTo);
            return status == null && options.CreatedFrom == null && options.CreatedTo == null ? null
                : new LinkFilter(status, Time(options.CreatedFrom), Time(options.CreatedTo));
        }

        /// <summary>What providers/list and providers/get include; the AIS methods are shown whenever they are filtered.</summary>
        public static ProviderRequest Providers(ProviderListOptions? options)
        {
            if (options == null) return new ProviderRequest(null, null);
            var owners = List(options.AccountOwnerType, ApiFields.AisFilterOwnerType);
            var interfaceType = NonEmpty(Rules.MaxLength(ApiFields.AisFilterInterfaceType, options.InterfaceType, 64));
            var environment = NonEmpty(Rules.OneOf(ApiFields.AisFilterEnvironment, options.InterfaceEnvironment));
            var filter = owners == null && interfaceType == null && environment == null ? null : new AisMethodFilter(owners, interfaceType, environment);
            var include = new ProviderInclude(True(options.IncludePaymentMethods), True(options.IncludeValidationSchema), True(options.IncludeAisMethods || filter != null), filter);
            return new ProviderRequest(null, include.ShowPaymentMethods == null && include.ShowValidationSchema == null && include.ShowAisMethods == null ? null : include);
        }

        private static string? Currency(string? currency) => string.IsNullOrEmpty(currency) ? null : Rules.Currency(ApiFields.FilterCurrency, currency);

        private static string? Time(DateTimeOffset? value) => value is DateTimeOffset at ? Timestamp.Format(at) : null;

        private static bool? True(bool value) => value ? true : (bool?)null;

        private static string Bound(ApiField field, decimal value)
        {
            if (value < 0) throw new FinqLinkValidationException(field, "must not be negative: amounts are positive, the credit/debit indicator gives the direction");
            if (decimal.Round(value, 3) != value) throw new FinqLinkValidationException(field, $"must have at most 3 decimal places (got {value})");
            return value.ToString("0.###", CultureInfo.InvariantCulture);
        }
    }
}
