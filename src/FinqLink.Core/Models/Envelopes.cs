using System.Text.Json.Serialization;
using FinqLink.Models.Data;

namespace FinqLink.Models
{
    /// <summary>The answer of providers/list.</summary>
    public sealed class ProviderList : FinqObject
    {
        [JsonPropertyName("providers")] public Provider[] Providers { get; set; } = new Provider[0];
    }

    /// <summary>The answer of providers/get.</summary>
    public sealed class ProviderAnswer : FinqObject
    {
        [JsonPropertyName("provider")] public Provider? Provider { get; set; }
    }

    /// <summary>The answer of ais/accounts/list (not paged).</summary>
    public sealed class AccountList : FinqObject
    {
        [JsonPropertyName("consent_id")] public string? ConsentId { get; set; }
        [JsonPropertyName("accounts")] public Account[] Accounts { get; set; } = new Account[0];
    }
}
