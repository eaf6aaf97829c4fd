using System;
using System.Linq;
using System.Text.Json.Serialization;

namespace FinqLink.Models.Data
{
    /// <summary>An account of a consent (ais/accounts/list), with its latest balances.</summary>
    public sealed class Account : FinqObject
    {
        [JsonPropertyName("id")] public string AccountId { get; set; } = "";
        [JsonPropertyName("iban")] public string? Iban { get; set; }
        [JsonPropertyName("currency")] public string? Currency { get; set; }
        [JsonPropertyName("name")] public string? Name { get; set; }
        [JsonPropertyName("nickname")] public string? Nickname { get; set; }
        [JsonPropertyName("account_type")] public string? AccountType { get; set; }
        [JsonPropertyName("account_sub_type")] public string? AccountSubType { get; set; }
        [JsonPropertyName("balances")] public Balance[]? Balances { get; set; }

        /// <summary>The consent this account was read through (set by the client, so accounts pipe on).</summary>
        [JsonIgnore] public string? ConsentId { get; set; }

        /// <summary>The "available" balance with its sign, when the account came with one: the account view's column.</summary>
        [JsonIgnore]
        public decimal? AvailableBalance =>
            Balances?.FirstOrDefault(b => string.Equals(b.Type, "available", StringComparison.OrdinalIgnoreCase))?.SignedAmount;

        public override string ToString() => Iban ?? AccountId;
    }
}
