using System;
using System.Linq;
using System.Text.Json.Nodes;
using FinqLink.Http;
using FinqLink.Validation;

namespace FinqLink.Models.Data
{
    /// <summary>
    /// What ais/consents/create is asked for. <see cref="ToBody"/> validates every field, naming it as the cmdlet
    /// parameter, and builds the body; <see cref="AdditionalProperties"/> can add or override any field.
    /// </summary>
    public sealed class CreateConsentRequest : CreateRequest
    {
        public static readonly string[] FullScope = { "accounts", "balances", "transactions" };
        public static readonly string[] LimitedScope = { "accounts", "balances" };
        public static readonly string[] AccountOwnerTypes = { "retail", "corporate" };

        public string[]? Scope { get; set; }
        public int? ValidityDays { get; set; }
        public string[]? ProviderId { get; set; }
        public string[]? AccountOwnerType { get; set; }
        public string? InterfaceEnvironment { get; set; }

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

            return Complete(body, "consent", providers?.Length ?? 0);
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
