using System;
using System.Linq;
using System.Text.Json.Nodes;
using FinqLink.Http;
using FinqLink.Models;
using FinqLink.Models.Data;
using FinqLink.Validation;

namespace FinqLink
{
    /// <summary>
    /// The request of every FinqLink operation the module knows, validated before anything is sent. Field names on
    /// errors are the cmdlets' parameter names.
    /// </summary>
    public static class Requests
    {
        public static ApiRequest ListProviders(ProviderOptions options) => Read("providers/list", options.ToJson());

        public static ApiRequest GetProvider(string providerId, ProviderOptions options)
        {
            var body = options.ToJson();
            body["provider_id"] = Rules.MaxLength("ProviderId", providerId, 64);
            return Read("providers/get", body);
        }

        public static ApiRequest GetLink(string linkId)
        {
            if (linkId == null || linkId.Length != 36)
                throw new FinqLinkValidationException("LinkId", $"'{linkId}' must be exactly 36 characters (a UUID)");
            return Read("links/get", new JsonObject { ["link_id"] = linkId });
        }

        public static ApiRequest ListLinks(string? status, DateTimeOffset? createdAfter, DateTimeOffset? createdBefore)
        {
            var filter = new JsonObject();
            BodyFields.Put(filter, "status", status);
            BodyFields.Range(filter, "inserted_at", createdAfter, createdBefore, "CreatedAfter", "CreatedBefore");
            return Read("links/list", filter.Count > 0 ? new JsonObject { ["filter"] = filter } : new JsonObject());
        }

        public static ApiRequest GetConsent(string consentId) => Read("ais/consents/get", Consent(consentId));

        public static ApiRequest RevokeConsent(string consentId) => new ApiRequest("ais/consents/revoke", Consent(consentId), RequestKind.IdempotentUpdate);

        /// <summary>direct_sca: hands FinqLink what the bank appended to the redirect URL (a code, or an error).</summary>
        public static ApiRequest CompleteConsent(string consentId, string? code, string? error)
        {
            if (string.IsNullOrEmpty(code) && string.IsNullOrEmpty(error))
                throw new FinqLinkValidationException("Code", "is required: give -Code, -RedirectUri with a code or error parameter, or -BankError");
            var body = Consent(consentId);
            BodyFields.Put(body, "code", Rules.MaxLength("Code", code, 256));
            BodyFields.Put(body, "error", Rules.MaxLength("BankError", error, 256));
            // The bank's code is single-use: a blind retry could fail a consent that the first attempt activated.
            return new ApiRequest("ais/consents/redirect", body, RequestKind.Create);
        }

        public static ApiRequest ListAccounts(string consentId, AccountFilter filter) => Filtered("ais/accounts/list", consentId, filter.ToJson());

        public static ApiRequest ListBalances(string consentId, BalanceFilter filter) => Filtered("ais/balances/list", consentId, filter.ToJson());

        public static ApiRequest ListTransactions(string consentId, TransactionFilter filter) => Filtered("ais/transactions/list", consentId, filter.ToJson());

        public static ApiRequest StartRefresh(string consentId, string? callbackUrl)
        {
            var body = Consent(consentId);
            BodyFields.Put(body, "callback_url", Rules.HttpUrl("CallbackUrl", callbackUrl));
            return new ApiRequest("ais/jobs/create", body, RequestKind.Create);
        }

        public static ApiRequest GetRefresh(string consentId, string jobId)
        {
            var body = Consent(consentId);
            body["job_id"] = Required("JobId", jobId, 64);
            return Read("ais/jobs/get", body);
        }

        private static ApiRequest Read(string resource, JsonObject body) => new ApiRequest(resource, body, RequestKind.Read);

        private static ApiRequest Filtered(string resource, string consentId, JsonObject filter)
        {
            var body = Consent(consentId);
            if (filter.Count > 0) body["filter"] = filter;
            return Read(resource, body);
        }

        private static JsonObject Consent(string consentId) => new JsonObject { ["consent_id"] = Required("ConsentId", consentId, 128) };

        private static string Required(string field, string? value, int maxLength)
        {
            if (string.IsNullOrWhiteSpace(value)) throw new FinqLinkValidationException(field, "is required");
            return Rules.MaxLength(field, value, maxLength)!;
        }
    }

    /// <summary>What providers/list and providers/get should include, and the AIS-method filter.</summary>
    public sealed class ProviderOptions
    {
        public bool IncludePaymentMethods { get; set; }
        public bool IncludeValidationSchema { get; set; }
        public bool IncludeAisMethods { get; set; }
        public string[]? AccountOwnerType { get; set; }
        public string? InterfaceType { get; set; }
        public string? InterfaceEnvironment { get; set; }

        internal JsonObject ToJson()
        {
            var options = new JsonObject();
            if (IncludePaymentMethods) options["show_payment_methods"] = true;
            if (IncludeValidationSchema) options["show_validation_schema"] = true;
            var filter = new JsonObject();
            if (AccountOwnerType != null)
                filter["account_owner_type"] = new JsonArray(AccountOwnerType
                    .Select(a => (JsonNode?)Rules.OneOf(nameof(AccountOwnerType), a, CreateConsentRequest.AccountOwnerTypes)).ToArray());
            BodyFields.Put(filter, "interface_type", InterfaceType);
            BodyFields.Put(filter, "interface_env", Rules.OneOf(nameof(InterfaceEnvironment), InterfaceEnvironment, Rules.Environments));
            if (IncludeAisMethods || filter.Count > 0) options["show_ais_methods"] = true;
            if (filter.Count > 0) options["ais_methods_filter"] = filter;
            return options.Count > 0 ? new JsonObject { ["options"] = options } : new JsonObject();
        }
    }
}
