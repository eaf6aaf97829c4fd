using System;
using System.Linq;
using System.Text.Json.Nodes;
using FinqLink.Validation;

namespace FinqLink.Options
{
    /// <summary>What ais/consents/create is asked for. <see cref="ToBody"/> validates every field and builds the body.</summary>
    public sealed class ConsentCreateOptions : CreateOptions
    {
        public static readonly string[] FullScope = { "accounts", "balances", "transactions" };
        public static readonly string[] LimitedScope = { "accounts", "balances" };
        /// <summary>consent_validity_days: the sandbox and the reference allow 1–180 days.</summary>
        public const int MinValidityDays = 1, MaxValidityDays = 180;

        public string[]? Scope { get; set; }
        public int? ValidityDays { get; set; }
        public string[]? ProviderId { get; set; }
        public string[]? AccountOwnerType { get; set; }
        public string? InterfaceEnvironment { get; set; }

        public JsonObject ToBody()
        {
            var consent = new JsonObject();
            if (Scope != null && Scope.Length > 0) consent["scope"] = new JsonArray(CheckScope(Scope).Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
            if (Rules.Range(ApiFields.ValidityDays, ValidityDays, MinValidityDays, MaxValidityDays) is int days) consent["consent_validity_days"] = days;
            var body = new JsonObject { ["consent"] = consent };

            var method = new JsonObject();
            BodyFields.PutList(method, "provider_id", ProviderId, ApiFields.AisProvider);
            BodyFields.PutList(method, "account_owner_type", AccountOwnerType, ApiFields.AccountOwnerType);
            BodyFields.Put(method, "interface_env", Rules.OneOf(ApiFields.InterfaceEnvironment, string.IsNullOrWhiteSpace(InterfaceEnvironment) ? null : InterfaceEnvironment));
            if (method.Count > 0) body["ais_method"] = method;

            return Complete(body, "consent", ProviderId, ApiFields.AisProvider);
        }

        /// <summary>Only the two documented sets are accepted, in any order; the answer is in the documented order.</summary>
        public static string[] CheckScope(string[] scope)
        {
            var given = scope.Select(s => s.Trim().ToLowerInvariant()).Distinct().OrderBy(s => s, StringComparer.Ordinal).ToArray();
            if (given.SequenceEqual(FullScope.OrderBy(s => s, StringComparer.Ordinal))) return FullScope;
            if (given.SequenceEqual(LimitedScope.OrderBy(s => s, StringComparer.Ordinal))) return LimitedScope;
            throw new FinqLinkValidationException(ApiFields.Scope,
                $"'{string.Join(",", scope)}' is not supported: use accounts,balances,transactions (the default) or accounts,balances");
        }
    }
}
