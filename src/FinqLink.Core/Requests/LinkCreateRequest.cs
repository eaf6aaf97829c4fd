using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace FinqLink.Requests
{
    /// <summary>
    /// A validated links/create body (see <see cref="RequestValidator"/>). Immutable: a bulk run sends one row with the
    /// expires_in of its slot through <see cref="WithExpiresIn"/>, a shallow copy, never a clone of the body.
    /// </summary>
    public sealed class LinkCreateRequest
    {
        internal LinkCreateRequest(decimal amount, LinkTransfer transfer, PaymentMethodChoice? paymentMethod, FlowOptions? options, Tracking? tracking, JsonObject? merged)
        {
            Amount = amount;
            SingleTransfer = transfer;
            PaymentMethod = paymentMethod;
            Options = options;
            Tracking = tracking;
            Merged = merged;
        }

        [JsonPropertyName("single_transfer")] public LinkTransfer SingleTransfer { get; }
        [JsonPropertyName("payment_method")] public PaymentMethodChoice? PaymentMethod { get; }
        [JsonPropertyName("options")] public FlowOptions? Options { get; }
        [JsonPropertyName("tracking")] public Tracking? Tracking { get; }

        /// <summary>The amount as read, once, from the row.</summary>
        [JsonIgnore] public decimal Amount { get; }
        [JsonIgnore] public string Currency => SingleTransfer.Currency;
        [JsonIgnore] public string? FlowType => Options?.Type;

        /// <summary>
        /// The body with AdditionalProperties merged in, built once at validation; null without them. Its fields can land
        /// anywhere in the body, so a request that has it is sent (and fingerprinted) from it.
        /// </summary>
        [JsonIgnore] internal JsonObject? Merged { get; }

        /// <summary>The same request with options.expires_in set to <paramref name="seconds"/>, over whatever AdditionalProperties said.</summary>
        internal LinkCreateRequest WithExpiresIn(long seconds)
        {
            var options = (Options ?? FlowOptions.Empty).WithExpiresIn(seconds);
            JsonObject? merged = null;
            if (Merged != null)
            {
                merged = (JsonObject)Merged.DeepClone();
                ((JsonObject)(merged["options"] ??= new JsonObject()))["expires_in"] = seconds;
            }
            return new LinkCreateRequest(Amount, SingleTransfer, PaymentMethod, options, Tracking, merged);
        }
    }

    /// <summary>single_transfer: the amount as the API writes it, the currency, the parties and the remittance text.</summary>
    public sealed class LinkTransfer
    {
        internal LinkTransfer(string amount, string currency, Party? creditor, Party? debtor, string? remittanceInformation)
        {
            Amount = amount;
            Currency = currency;
            Creditor = creditor;
            Debtor = debtor;
            RemittanceInformation = remittanceInformation;
        }

        [JsonPropertyName("amount")] public string Amount { get; }
        [JsonPropertyName("currency")] public string Currency { get; }
        [JsonPropertyName("creditor")] public Party? Creditor { get; }
        [JsonPropertyName("debtor")] public Party? Debtor { get; }
        [JsonPropertyName("remittance_information")] public string? RemittanceInformation { get; }
    }

    /// <summary>A creditor (name, iban) or debtor (iban, psu_id).</summary>
    public sealed class Party
    {
        internal Party(string? name, string? iban, string? psuId)
        {
            Name = name;
            Iban = iban;
            PsuId = psuId;
        }

        [JsonPropertyName("name")] public string? Name { get; }
        [JsonPropertyName("iban")] public string? Iban { get; }
        [JsonPropertyName("psu_id")] public string? PsuId { get; }

        internal static Party? Of(string? name, string? iban, string? psuId) =>
            name == null && iban == null && psuId == null ? null : new Party(name, iban, psuId);
    }

    /// <summary>payment_method: which providers, remitter types, schemes and environments the payer may choose from.</summary>
    public sealed class PaymentMethodChoice
    {
        internal PaymentMethodChoice(string[]? providerId, string[]? remitterType, string[]? paymentScheme, string[]? environment)
        {
            ProviderId = providerId;
            RemitterType = remitterType;
            PaymentScheme = paymentScheme;
            Environment = environment;
        }

        [JsonPropertyName("provider_id")] public string[]? ProviderId { get; }
        [JsonPropertyName("remitter_type")] public string[]? RemitterType { get; }
        [JsonPropertyName("payment_scheme")] public string[]? PaymentScheme { get; }
        [JsonPropertyName("env")] public string[]? Environment { get; }
    }

    /// <summary>The <c>options</c> of links/create and ais/consents/create (user_editable is the link's only).</summary>
    public sealed class FlowOptions
    {
        internal static readonly FlowOptions Empty = new FlowOptions(null, null, null, null, null, null);

        internal FlowOptions(string? type, string? uxTemplate, string? webhookUrl, string? redirectUrl, long? expiresIn, bool? userEditable)
        {
            Type = type;
            UxTemplate = uxTemplate;
            WebhookUrl = webhookUrl;
            RedirectUrl = redirectUrl;
            ExpiresIn = expiresIn;
            UserEditable = userEditable;
        }

        [JsonPropertyName("type")] public string? Type { get; }
        [JsonPropertyName("ux_template")] public string? UxTemplate { get; }
        [JsonPropertyName("webhook_url")] public string? WebhookUrl { get; }
        [JsonPropertyName("redirect_url")] public string? RedirectUrl { get; }
        /// <summary>Seconds.</summary>
        [JsonPropertyName("expires_in")] public long? ExpiresIn { get; }
        [JsonPropertyName("user_editable")] public bool? UserEditable { get; }

        [JsonIgnore] internal bool IsEmpty => Type == null && UxTemplate == null && WebhookUrl == null && RedirectUrl == null && ExpiresIn == null && UserEditable == null;

        internal FlowOptions WithExpiresIn(long seconds) => new FlowOptions(Type, UxTemplate, WebhookUrl, RedirectUrl, seconds, UserEditable);
    }

    /// <summary>tracking: the tenant's own user and company ids.</summary>
    public sealed class Tracking
    {
        internal Tracking(string? tenantUserId, string? tenantCompanyId)
        {
            TenantUserId = tenantUserId;
            TenantCompanyId = tenantCompanyId;
        }

        [JsonPropertyName("tenant_user_id")] public string? TenantUserId { get; }
        [JsonPropertyName("tenant_company_id")] public string? TenantCompanyId { get; }

        internal static Tracking? Of(string? userId, string? companyId) => userId == null && companyId == null ? null : new Tracking(userId, companyId);
    }
}
