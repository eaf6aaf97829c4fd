using System;
using System.Text.Json.Nodes;
using FinqLink.Http;
using FinqLink.Validation;

namespace FinqLink.Models
{
    /// <summary>
    /// What links/create is asked for. <see cref="ToBody"/> validates every field (names follow the cmdlet's
    /// parameters) and builds the JSON body; nested names inside single_transfer are the documented best guess,
    /// and <see cref="AdditionalProperties"/> can add or override any field.
    /// </summary>
    public sealed class CreateLinkRequest : CreateRequest
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
        public bool? UserEditable { get; set; }

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
            BodyFields.Put(creditor, "name", Rules.MaxLength(nameof(CreditorName), CreditorName, 140));
            BodyFields.Put(creditor, "iban", Rules.Iban(nameof(CreditorIban), CreditorIban));
            if (creditor.Count > 0) transfer["creditor"] = creditor;
            var debtor = new JsonObject();
            BodyFields.Put(debtor, "iban", Rules.Iban(nameof(DebtorIban), DebtorIban));
            BodyFields.Put(debtor, "psu_id", Rules.MaxLength(nameof(DebtorPsuId), DebtorPsuId, 64));
            if (debtor.Count > 0) transfer["debtor"] = debtor;
            BodyFields.Put(transfer, "remittance_information", Rules.MaxLength(nameof(RemittanceInformation), RemittanceInformation, 140));

            var body = new JsonObject { ["single_transfer"] = transfer };
            var method = new JsonObject();
            BodyFields.PutList(method, "provider_id", ProviderId, null, nameof(ProviderId));
            BodyFields.PutList(method, "remitter_type", RemitterType, Rules.RemitterTypes, nameof(RemitterType));
            BodyFields.PutList(method, "payment_scheme", PaymentScheme, Rules.PaymentSchemes, nameof(PaymentScheme));
            BodyFields.PutList(method, "env", PaymentEnvironment, Rules.Environments, nameof(PaymentEnvironment));
            if (method.Count > 0) body["payment_method"] = method;

            return Complete(body, "link", ProviderId?.Length ?? 0, options =>
            {
                if (UserEditable is bool editable) options["user_editable"] = editable;
            });
        }
    }
}
