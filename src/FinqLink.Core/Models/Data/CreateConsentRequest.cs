using System;
using System.Collections;
using System.Linq;
using System.Text.Json.Nodes;
using FinqLink.Http;
using FinqLink.Json;
using FinqLink.Validation;

namespace FinqLink.Models.Data
{
    /// <summary>
    /// What ais/consents/create is asked for. <see cref="ToBody"/> validates every field, naming it as the cmdlet
    /// parameter, and builds the body; <see cref="AdditionalProperties"/> can add or override any field.
    /// </summary>
    public sealed class CreateConsentRequest
    {
        public static readonly string[] FullScope = { "accounts", "balances", "transactions" };
        public static readonly string[] LimitedScope = { "accounts", "balances" };
        public static readonly string[] AccountOwnerTypes = { "retail", "corporate" };

        public string[]? Scope { get; set; }
        public int? ValidityDays { get; set; }
        public TimeSpan? ExpiresIn { get; set; }
        public string[]? ProviderId { get; set; }
        public string[]? AccountOwnerType { get; set; }
        public string? InterfaceEnvironment { get; set; }
        public string? FlowType { get; set; }
        public string? UxTemplate { get; set; }
        public string? WebhookUrl { get; set; }
        public string? RedirectUrl { get; set; }
        public string? TrackingUserId { get; set; }
        public string? TrackingCompanyId { get; set; }
        public IDictionary? AdditionalProperties { get; set; }

        public ApiRequest ToRequest() => new ApiRequest("ais/consents/create", ToBody(), RequestKind.Create);

        public JsonObject ToBody()
        {
            var consent = new JsonObject();
            if (Scope != null && Scope.Length > 0) consent["scope"] = new JsonArray(CheckScope(Scope).Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
            if (ValidityDays is int days)
            {
                if (days < 1) throw new FinqLinkValidationException(nameof(ValidityDays), $"must be at least 1 day (got {days})");
                consent["consent_validity_days"] = days;
            }
            var body = new JsonObject { ["consent"] = consent };

            var method = new JsonObject();
            var providers = BodyFields.Present(ProviderId);
            BodyFields.PutList(method, "provider_id", ProviderId, null, nameof(ProviderId));
            BodyFields.PutList(method, "account_owner_type", AccountOwnerType, AccountOwnerTypes, nameof(AccountOwnerType));
            var env = Rules.OneOf(nameof(InterfaceEnvironment), InterfaceEnvironment, Rules.Environments);
            if (env != null) method["interface_env"] = env;
            if (method.Count > 0) body["ais_method"] = method;

            var flow = Rules.OneOf(nameof(FlowType), FlowType, Rules.FlowTypes);
            if (flow != null && flow != "link" && (providers == null || providers.Length != 1))
                throw new FinqLinkValidationException(nameof(ProviderId), $"a {flow} consent needs exactly one provider (the bank's SCA URL is fetched at creation)");
            var options = new JsonObject();
            if (flow != null) options["type"] = flow;
            BodyFields.Put(options, "ux_template", Rules.UxTemplate(nameof(UxTemplate), UxTemplate));
            BodyFields.Put(options, "webhook_url", Rules.HttpUrl(nameof(WebhookUrl), WebhookUrl));
            BodyFields.Put(options, "redirect_url", Rules.HttpUrl(nameof(RedirectUrl), RedirectUrl));
            if (Rules.Expiry(nameof(ExpiresIn), ExpiresIn) is TimeSpan expiry) options["expires_in"] = (long)expiry.TotalSeconds;
            if (options.Count > 0) body["options"] = options;

            var tracking = new JsonObject();
            BodyFields.Put(tracking, "tenant_user_id", Rules.TrackingId(nameof(TrackingUserId), TrackingUserId));
            BodyFields.Put(tracking, "tenant_company_id", Rules.TrackingId(nameof(TrackingCompanyId), TrackingCompanyId));
            if (tracking.Count > 0) body["tracking"] = tracking;

            if (AdditionalProperties != null) JsonMerge.Into(body, AdditionalProperties, nameof(AdditionalProperties));
            return body;
        }

        /// <summary>Only the two documented sets are accepted, in any order; the answer is in the documented order.</summary>
        public static string[] CheckScope(string[] scope)
        {
            var given = scope.Select(s => s.Trim().ToLowerInvariant()).Distinct().OrderBy(s => s, StringComparer.Ordinal).ToArray();
            if (given.SequenceEqual(FullScope.OrderBy(s => s, StringComparer.Ordinal))) return FullScope;
            if (given.SequenceEqual(LimitedScope.OrderBy(s => s, StringComparer.Ordinal))) return LimitedScope;
            throw new FinqLinkValidationException(nameof(Scope),
                $"'{string.Join(",", scope)}' is not supported: use accounts,balances,transactions (the default) or accounts,balances");
        }
    }
}
