using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using FinqLink.Validation;

namespace FinqLink.PowerShell.Infrastructure
{
    /// <summary>
    /// The one table from the API fields Core validates to the parameters a user types. Errors name the parameter; a test
    /// checks that every field has a parameter here, that the parameter exists, and that each [ValidateSet] equals Core's list.
    /// </summary>
    internal static class ParameterNames
    {
        private static readonly char[] PathPunctuation = { '.', '_', '(' };

        private static readonly Dictionary<ApiField, string> Table = new Dictionary<ApiField, string>
        {
            [ApiFields.Amount] = "Amount", [ApiFields.Currency] = "Currency", [ApiFields.CreditorName] = "CreditorName",
            [ApiFields.CreditorIban] = "CreditorIban", [ApiFields.DebtorIban] = "DebtorIban", [ApiFields.DebtorPsuId] = "DebtorPsuId",
            [ApiFields.RemittanceInformation] = "RemittanceInformation", [ApiFields.PaymentProvider] = "ProviderId",
            [ApiFields.RemitterType] = "RemitterType", [ApiFields.PaymentScheme] = "PaymentScheme", [ApiFields.PaymentEnvironment] = "PaymentEnvironment",
            [ApiFields.UserEditable] = "UserEditable", [ApiFields.FlowType] = "FlowType", [ApiFields.UxTemplate] = "UxTemplate",
            [ApiFields.WebhookUrl] = "WebhookUrl", [ApiFields.RedirectUrl] = "RedirectUrl", [ApiFields.ExpiresIn] = "ExpiresIn",
            [ApiFields.TrackingUserId] = "TrackingUserId", [ApiFields.TrackingCompanyId] = "TrackingCompanyId", [ApiFields.Extra] = "AdditionalProperties",
            [ApiFields.Scope] = "Scope", [ApiFields.ValidityDays] = "ValidityDays", [ApiFields.AisProvider] = "ProviderId",
            [ApiFields.AccountOwnerType] = "AccountOwnerType", [ApiFields.InterfaceEnvironment] = "InterfaceEnvironment",
            [ApiFields.ProviderId] = "ProviderId", [ApiFields.AisFilterOwnerType] = "AccountOwnerType", [ApiFields.AisFilterInterfaceType] = "InterfaceType",
            [ApiFields.AisFilterEnvironment] = "InterfaceEnvironment", [ApiFields.LinkId] = "LinkId", [ApiFields.ConsentId] = "ConsentId",
            [ApiFields.JobId] = "JobId", [ApiFields.CallbackUrl] = "CallbackUrl", [ApiFields.RedirectCode] = "Code", [ApiFields.RedirectError] = "BankError",
            [ApiFields.LinkStatus] = "Status", [ApiFields.CreatedFrom] = "CreatedAfter", [ApiFields.CreatedTo] = "CreatedBefore",
            [ApiFields.FilterCurrency] = "Currency", [ApiFields.AccountType] = "AccountType", [ApiFields.AccountSubType] = "AccountSubType",
            [ApiFields.AccountId] = "AccountId", [ApiFields.BalanceType] = "Type", [ApiFields.AmountMin] = "MinimumAmount",
            [ApiFields.AmountMax] = "MaximumAmount", [ApiFields.BookedFrom] = "BookedFrom", [ApiFields.BookedTo] = "BookedTo",
            [ApiFields.UpdatedFrom] = "UpdatedFrom", [ApiFields.UpdatedTo] = "UpdatedTo", [ApiFields.Direction] = "CreditDebitIndicator",
            [ApiFields.TransactionStatus] = "Status", [ApiFields.PageSize] = "PageSize", [ApiFields.Body] = "Body",
        };

        public static IReadOnlyDictionary<ApiField, string> All => Table;

        public static string Of(ApiField field) => Table.TryGetValue(field, out var parameter) ? parameter : field.Path;

        /// <summary>A rule's text with every API field path in it written as the parameter a user knows.</summary>
        public static string Translate(string text)
        {
            // Whole paths only ("amount" is not in "amount_min"), and only paths no sentence uses as a word: "code" and
            // "error" are fields, and also English ("an ISO 4217 currency code").
            foreach (var field in Table.Keys.Where(f => f.Path.IndexOfAny(PathPunctuation) >= 0).OrderByDescending(f => f.Path.Length))
                text = Regex.Replace(text, @"(?<![\w.\-])" + Regex.Escape(field.Path) + @"(?![\w])", "-" + Table[field]);
            return text;
        }

        /// <summary>The closed set of values a parameter takes, from Core's lists (for tab completion).</summary>
        public static IReadOnlyList<string>? AllowedFor(string parameter) =>
            Table.Where(p => string.Equals(p.Value, parameter, StringComparison.OrdinalIgnoreCase) && p.Key.Allowed != null).Select(p => p.Key.Allowed).FirstOrDefault();
    }
}
