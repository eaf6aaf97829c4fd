using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace FinqLink.Bench;

/// <summary>A transaction as the raw contenders read it: the fields FinqLink's own Transaction has, typed the same way.</summary>
public sealed class RawTransaction
{
    [JsonPropertyName("id")] public string? TransactionId { get; set; }
    [JsonPropertyName("account_id")] public string? AccountId { get; set; }
    [JsonPropertyName("amount")] public decimal Amount { get; set; }
    [JsonPropertyName("currency")] public string? Currency { get; set; }
    [JsonPropertyName("credit_debit_indicator")] public string? CreditDebitIndicator { get; set; }
    [JsonPropertyName("status")] public string? Status { get; set; }
    [JsonPropertyName("booking_date_time")] public DateTimeOffset? BookingDateTime { get; set; }
    [JsonPropertyName("value_date")] public string? ValueDate { get; set; }
    [JsonPropertyName("updated_at")] public DateTimeOffset? UpdatedAt { get; set; }
    [JsonPropertyName("counterparty_name")] public string? CounterpartyName { get; set; }
    [JsonPropertyName("remittance_information")] public string? RemittanceInformation { get; set; }
    [JsonPropertyName("info")] public string? Info { get; set; }
    [JsonPropertyName("balance")] public decimal? BalanceAfter { get; set; }
    [JsonPropertyName("keyset")] public string? Keyset { get; set; }
}

public sealed class RawPage
{
    [JsonPropertyName("transactions")] public List<RawTransaction> Transactions { get; set; } = new();
    [JsonPropertyName("pagination")] public RawPagination Pagination { get; set; } = new();
}

public sealed class RawPagination
{
    [JsonPropertyName("after")] public string? After { get; set; }
    [JsonPropertyName("more?")] public bool More { get; set; }
}

/// <summary>Source-generated readers: no reflection-built converters at first use, the fastest System.Text.Json offers.</summary>
[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(RawPage))]
[JsonSerializable(typeof(string))]
internal sealed partial class RawJson : JsonSerializerContext;
