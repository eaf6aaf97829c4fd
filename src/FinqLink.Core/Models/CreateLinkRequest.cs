using System;
using System.Collections;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using FinqLink.Http;
using FinqLink.Json;
using FinqLink.Validation;

namespace FinqLink.Models
{
    /// <summary>
    /// What links/create is asked for. <see cref="ToBody"/> validates every field (names follow the cmdlet's
    /// parameters) and builds the JSON body; nested names inside single_transfer are the documented best guess,
    /// and <see cref="AdditionalProperties"/> can add or override any field.
    /// </summary>
    public sealed class CreateLinkRequest
    {
        public decimal Amount { get; set; }
        public string? Currency { get; set; }
        public string? CreditorName { get; set; }
        public string? CreditorIban { get; set; }
        public string? DebtorIban { get; set; }
        public string? DebtorPsuId { get; set; }
        public string? RemittanceInformation { get; set; }
        public string[]? ProviderId { get; set; }
        public string[]? RemitterType { get; set; }
        public string[]? PaymentScheme { get; set; }
        public string[]? PaymentEnvironment { get; set; }
        public string? FlowType { get; set; }
        public string? UxTemplate { get; set; }
        public string? WebhookUrl { get; set; }
        public string? RedirectUrl { get; set; }
        public TimeSpan? ExpiresIn { get; set; }
        public bool? UserEditable { get; set; }
        public string? TrackingUserId { get; set; }
        public string? TrackingCompanyId { get; set; }
        public IDictionary? AdditionalProperties { get; set; }

        public ApiRequest ToRequest() => new ApiRequest("links/create", ToBody(), RequestKind.Create);

        public JsonObject ToBody()
        {
            Rules.Amount(nameof(Amount), Amount);
            var transfer = new JsonObject
            {
                ["amount"] = Money.Format(Amount),
                ["currency"] = Rules.Currency(nameof(Currency), Currency),
            };
            var creditor = new JsonObject();
            Put(creditor, "name", Rules.MaxLength(nameof(CreditorName), CreditorName, 140));
            Put(creditor, "iban", Rules.Iban(nameof(CreditorIban), CreditorIban));
            if (creditor.Count > 0) transfer["creditor"] = creditor;
            var debtor = new JsonObject();
            Put(debtor, "iban", Rules.Iban(nameof(DebtorIban), DebtorIban));
            Put(debtor, "psu_id", Rules.MaxLength(nameof(DebtorPsuId), DebtorPsuId, 64));
            if (debtor.Count > 0) transfer["debtor"] = debtor;
            Put(transfer, "remittance_information", Rules.MaxLength(nameof(RemittanceInformation), RemittanceInformation, 140));

            var body = new JsonObject { ["single_transfer"] = transfer };
            var method = new JsonObject();
            PutList(method, "provider_id", ProviderId, null, nameof(ProviderId));
            PutList(method, "remitter_type", RemitterType, Rules.RemitterTypes, nameof(RemitterType));
            PutList(method, "payment_scheme", PaymentScheme, Rules.PaymentSchemes, nameof(PaymentScheme));
            PutList(method, "env", PaymentEnvironment, Rules.Environments, nameof(PaymentEnvironment));
            if (method.Count > 0) body["payment_method"] = method;

            var flow = Rules.OneOf(nameof(FlowType), FlowType, Rules.FlowTypes);
            if (flow != null && flow != "link" && (ProviderId == null || ProviderId.Length != 1))
                throw new FinqLinkValidationException(nameof(ProviderId), $"a {flow} link needs exactly one provider (the bank's SCA URL is fetched at creation)");
            var options = new JsonObject();
            Put(options, "type", flow);
            Put(options, "ux_template", Rules.UxTemplate(nameof(UxTemplate), UxTemplate));
            Put(options, "webhook_url", Rules.HttpUrl(nameof(WebhookUrl), WebhookUrl));
            Put(options, "redirect_url", Rules.HttpUrl(nameof(RedirectUrl), RedirectUrl));
            if (Rules.Expiry(nameof(ExpiresIn), ExpiresIn) is TimeSpan expiry) options["expires_in"] = (long)expiry.TotalSeconds;
            if (UserEditable is bool editable) options["user_editable"] = editable;
            if (options.Count > 0) body["options"] = options;

            var tracking = new JsonObject();
            Put(tracking, "tenant_user_id", Rules.TrackingId(nameof(TrackingUserId), TrackingUserId));
            Put(tracking, "tenant_company_id", Rules.TrackingId(nameof(TrackingCompanyId), TrackingCompanyId));
            if (tracking.Count > 0) body["tracking"] = tracking;

            if (AdditionalProperties != null) JsonMerge.Into(body, AdditionalProperties, nameof(AdditionalProperties));
            return body;
        }

        private static void Put(JsonObject obj, string name, string? value)
        {
            if (!string.IsNullOrEmpty(value)) obj[name] = value;
        }

        private static void PutList(JsonObject obj, string name, string[]? values, string[]? allowed, string field)
        {
            // An empty CSV cell binds as "": it means "not given", not a value to send.
            values = values?.Where(v => !string.IsNullOrWhiteSpace(v)).ToArray();
            if (values == null || values.Length == 0) return;
            var checkedValues = values.Select(v => allowed == null ? Rules.MaxLength(field, v, 64)! : Rules.OneOf(field, v, allowed)!).ToArray();
            obj[name] = new JsonArray(checkedValues.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
        }
    }
}
