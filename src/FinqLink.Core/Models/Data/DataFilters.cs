using System;
using System.Text.Json.Nodes;
using FinqLink.Validation;

namespace FinqLink.Models.Data
{
    /// <summary>The filter of ais/accounts/list.</summary>
    public sealed class AccountFilter
    {
        public string? Currency { get; set; }
        public string? AccountType { get; set; }
        public string? AccountSubType { get; set; }

        internal JsonObject ToJson()
        {
            var filter = new JsonObject();
            if (Currency != null) filter["currency"] = Rules.Currency(nameof(Currency), Currency);
            BodyFields.Put(filter, "account_type", Rules.MaxLength(nameof(AccountType), AccountType, 128));
            BodyFields.Put(filter, "account_sub_type", Rules.MaxLength(nameof(AccountSubType), AccountSubType, 128));
            return filter;
        }
    }

    /// <summary>The filter of ais/balances/list.</summary>
    public sealed class BalanceFilter
    {
        public string? AccountId { get; set; }
        public string? Type { get; set; }
        public string? Currency { get; set; }

        internal JsonObject ToJson()
        {
            var filter = new JsonObject();
            BodyFields.Put(filter, "account_id", Rules.MaxLength(nameof(AccountId), AccountId, 64));
            BodyFields.Put(filter, "type", Rules.MaxLength(nameof(Type), Type, 64));
            if (Currency != null) filter["currency"] = Rules.Currency(nameof(Currency), Currency);
            return filter;
        }
    }

    /// <summary>The filter of ais/transactions/list. Amounts compare the positive amount, whatever the direction.</summary>
    public sealed class TransactionFilter
    {
        public static readonly string[] Directions = { "credit", "debit" };
        public static readonly string[] Statuses = { "booked", "pending" };

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

        internal JsonObject ToJson()
        {
            var filter = new JsonObject();
            BodyFields.Put(filter, "account_id", Rules.MaxLength(nameof(AccountId), AccountId, 64));
            if (Currency != null) filter["currency"] = Rules.Currency(nameof(Currency), Currency);
            if (MinimumAmount is decimal min) filter["amount_min"] = Amount(nameof(MinimumAmount), min);
            if (MaximumAmount is decimal max) filter["amount_max"] = Amount(nameof(MaximumAmount), max);
            if (MinimumAmount > MaximumAmount) throw new FinqLinkValidationException(nameof(MinimumAmount), "must not be greater than MaximumAmount");
            BodyFields.Range(filter, "booking_date", BookedFrom, BookedTo, nameof(BookedFrom), nameof(BookedTo));
            BodyFields.Range(filter, "updated", UpdatedFrom, UpdatedTo, nameof(UpdatedFrom), nameof(UpdatedTo));
            BodyFields.Put(filter, "credit_debit_indicator", Rules.OneOf(nameof(CreditDebitIndicator), CreditDebitIndicator, Directions));
            BodyFields.Put(filter, "status", Rules.OneOf(nameof(Status), Status, Statuses));
            return filter;
        }

        private static string Amount(string field, decimal value)
        {
            if (value < 0) throw new FinqLinkValidationException(field, "must not be negative: amounts are positive, use CreditDebitIndicator for the direction");
            if (decimal.Round(value, 2) != value) throw new FinqLinkValidationException(field, $"must have at most 2 decimal places (got {value})");
            return Money.Format(value);
        }
    }
}
