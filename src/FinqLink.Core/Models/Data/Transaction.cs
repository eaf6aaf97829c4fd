using System;
using System.Text.Json.Serialization;

namespace FinqLink.Models.Data
{
    /// <summary>
    /// One transaction (ais/transactions/list). <see cref="Amount"/> is positive; money left the account when
    /// <see cref="CreditDebitIndicator"/> is "debit". Sum <see cref="SignedAmount"/> for a net figure.
    /// </summary>
    public sealed class Transaction : FinqObject
    {
        [JsonPropertyName("id")] public string? TransactionId { get; set; }
        [JsonPropertyName("account_id")] public string? AccountId { get; set; }
        [JsonPropertyName("amount")] public decimal Amount { get; set; }
        [JsonPropertyName("currency")] public string? Currency { get; set; }
        [JsonPropertyName("credit_debit_indicator")] public string? CreditDebitIndicator { get; set; }
        /// <summary>booked or pending.</summary>
        [JsonPropertyName("status")] public string? Status { get; set; }
        [JsonPropertyName("booking_date_time")] public DateTimeOffset? BookingDateTime { get; set; }
        [JsonPropertyName("value_date")] public string? ValueDate { get; set; }
        [JsonPropertyName("updated_at")] public DateTimeOffset? UpdatedAt { get; set; }
        [JsonPropertyName("counterparty_name")] public string? CounterpartyName { get; set; }
        [JsonPropertyName("remittance_information")] public string? RemittanceInformation { get; set; }
        [JsonPropertyName("info")] public string? Info { get; set; }
        [JsonPropertyName("balance")] public decimal? BalanceAfter { get; set; }
        [JsonPropertyName("keyset")] public string? Keyset { get; set; }

        [JsonIgnore] public string? ConsentId { get; set; }

        public decimal SignedAmount => CreditDebit.Sign(CreditDebitIndicator, Amount);

        public override string ToString() => $"{BookingDateTime:yyyy-MM-dd} {Money.Display(SignedAmount, Currency)} {Currency} {CounterpartyName ?? Info}";
    }
}
