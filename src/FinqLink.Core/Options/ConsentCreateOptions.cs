using System;
using System.Linq;
using FinqLink.Validation;

namespace FinqLink.Options
{
    /// <summary>What ais/consents/create is asked for; <see cref="Requests.RequestValidator.Consent"/> checks it and makes the request.</summary>
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
