using System.Text.Json.Nodes;
using FinqLink.Validation;

namespace FinqLink.Options
{
    /// <summary>
    /// What links/create is asked for. <see cref="ToBody"/> validates every field and builds the JSON body; nested names
    /// inside single_transfer are the documented best guess, and AdditionalProperties can add or override any field.
    /// </summary>
    public sealed class LinkCreateOptions : CreateOptions
    {
        /// <summary>Already read exactly (see <see cref="Amounts.Read"/>).</summary>
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

        public JsonObject ToBody()
        {
            var currency = Rules.Currency(ApiFields.Currency, Currency);
            var transfer = new JsonObject
            {
                ["amount"] = Amounts.Format(Amounts.Read(ApiFields.Amount, Amount, currency), currency),
                ["currency"] = currency,
            };
            var creditor = new JsonObject();
            BodyFields.Put(creditor, "name", Rules.MaxLength(ApiFields.CreditorName, Trimmed(CreditorName), 140));
            BodyFields.Put(creditor, "iban", Rules.Iban(ApiFields.CreditorIban, CreditorIban));
            if (creditor.Count > 0) transfer["creditor"] = creditor;
            var debtor = new JsonObject();
            BodyFields.Put(debtor, "iban", Rules.Iban(ApiFields.DebtorIban, DebtorIban));
            BodyFields.Put(debtor, "psu_id", Rules.MaxLength(ApiFields.DebtorPsuId, Trimmed(DebtorPsuId), 64));
            if (debtor.Count > 0) transfer["debtor"] = debtor;
            BodyFields.Put(transfer, "remittance_information", Rules.MaxLength(ApiFields.RemittanceInformation, RemittanceInformation, 140));

            var body = new JsonObject { ["single_transfer"] = transfer };
            var method = new JsonObject();
            BodyFields.PutList(method, "provider_id", ProviderId, ApiFields.PaymentProvider);
            BodyFields.PutList(method, "remitter_type", RemitterType, ApiFields.RemitterType);
            BodyFields.PutList(method, "payment_scheme", PaymentScheme, ApiFields.PaymentScheme);
            BodyFields.PutList(method, "env", PaymentEnvironment, ApiFields.PaymentEnvironment);
            if (method.Count > 0) body["payment_method"] = method;

            return Complete(body, "link", ProviderId, ApiFields.PaymentProvider, options =>
            {
                if (UserEditable is bool editable) options["user_editable"] = editable;
            });
        }

        private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
    }
}
