using System;
using System.Text.Json.Serialization;

namespace FinqLink.Models.Data
{
    /// <summary>
    /// One balance (ais/balances/list, or the latest ones on an account). <see cref="Amount"/> is always positive;
    /// the sign is <see cref="CreditDebitIndicator"/> ("debit" means overdrawn). <see cref="SignedAmount"/> applies it.
    /// </summary>
    public sealed class Balance : FinqObject
    {
        [JsonPropertyName("id")] public string? BalanceId { get; set; }
        [JsonPropertyName("account_id")] public string? AccountId { get; set; }
        [JsonPropertyName("type")] public string? Type { get; set; }
        [JsonPropertyName("amount")] public decimal Amount { get; set; }
        [JsonPropertyName("currency")] public string? Currency { get; set; }
        [JsonPropertyName("credit_debit_indicator")] public string? CreditDebitIndicator { get; set; }
        [JsonPropertyName("credit_limit_included")] public bool? CreditLimitIncluded { get; set; }
        [JsonPropertyName("reference_date")] public string? ReferenceDate { get; set; }
        [JsonPropertyName("timestamp")] public DateTimeOffset? Timestamp { get; set; }
        [JsonPropertyName("keyset")] public string? Keyset { get; set; }

        [JsonIgnore] public string? ConsentId { get; set; }

        public decimal SignedAmount => CreditDebit.Sign(CreditDebitIndicator, Amount);

        public override string ToString() => $"{Type} {Money.Display(SignedAmount, Currency)} {Currency}";
    }

    public static class BalanceTypes
    {
        /// <summary>Normalised (available, closing) first, then the bank-specific ISO 20022 types the docs list.</summary>
        public static readonly string[] Known =
        {
            "available", "closing", "closing_available", "closing_booked", "closing_cleared", "expected", "forward_available", "information",
            "interim_available", "interim_booked", "interim_cleared", "opening_available", "opening_booked", "opening_cleared", "previously_closed_booked",
        };
    }

    /// <summary>FinqLink sends positive amounts with a credit/debit indicator; this applies the sign.</summary>
    public static class CreditDebit
    {
        public static decimal Sign(string? indicator, decimal amount) =>
            string.Equals(indicator, "debit", StringComparison.OrdinalIgnoreCase) ? -Math.Abs(amount) : Math.Abs(amount);
    }
}
