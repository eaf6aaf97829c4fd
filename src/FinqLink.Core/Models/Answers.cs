using System.Text.Json.Serialization;
using FinqLink.Models.Data;
using FinqLink.Paging;

namespace FinqLink.Models
{
    // The wrappers FinqLink puts around what an operation returns. Services unwrap them; callers never see them.

    internal sealed class ProviderList : FinqObject
    {
        [JsonPropertyName("providers")] public Provider[]? Providers { get; set; }
    }

    internal sealed class ProviderAnswer : FinqObject
    {
        [JsonPropertyName("provider")] public Provider? Provider { get; set; }
    }

    internal sealed class AccountList : FinqObject
    {
        [JsonPropertyName("accounts")] public Account[]? Accounts { get; set; }
    }

    internal sealed class LinkPage : PageAnswer<PaymentLink>
    {
        [JsonPropertyName("links")] public PaymentLink[]? Links { get; set; }
        public override PaymentLink[]? ItemArray => Links;
    }

    internal sealed class BalancePage : PageAnswer<Balance>
    {
        [JsonPropertyName("balances")] public Balance[]? Balances { get; set; }
        public override Balance[]? ItemArray => Balances;
    }

    internal sealed class TransactionPage : PageAnswer<Transaction>
    {
        [JsonPropertyName("transactions")] public Transaction[]? Transactions { get; set; }
        public override Transaction[]? ItemArray => Transactions;
    }
}
