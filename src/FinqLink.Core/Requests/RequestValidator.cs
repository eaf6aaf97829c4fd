using System;
using System.Collections;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using FinqLink.Json;
using FinqLink.Options;
using FinqLink.Validation;

namespace FinqLink.Requests
{
    /// <summary>
    /// The one place options become requests: every field checked against the documented rules (errors name the API
    /// field), blank values left out, and AdditionalProperties merged over the result once, here.
    /// </summary>
    public static partial class RequestValidator
    {
        /// <summary>links/create. The amount is read here and only here (text in the API's format or <see cref="LinkCreateOptions.AmountCulture"/>'s, or a number).</summary>
        public static LinkCreateRequest Link(LinkCreateOptions options)
        {
            var amount = ReadAmount(options);
            var currency = Rules.Currency(ApiFields.Currency, options.Currency);
            var transfer = new LinkTransfer(Amounts.Format(amount, currency), currency,
                Party.Of(NonEmpty(Rules.MaxLength(ApiFields.CreditorName, Trimmed(options.CreditorName), 140)), NonEmpty(Rules.Iban(ApiFields.CreditorIban, options.CreditorIban)), null),
                Party.Of(null, NonEmpty(Rules.Iban(ApiFields.DebtorIban, options.DebtorIban)), NonEmpty(Rules.MaxLength(ApiFields.DebtorPsuId, Trimmed(options.DebtorPsuId), 64))),
                NonEmpty(Rules.MaxLength(ApiFields.RemittanceInformation, options.RemittanceInformation, 140)));
            var providers = List(options.ProviderId, ApiFields.PaymentProvider);
            var remitters = List(options.RemitterType, ApiFields.RemitterType);
            var schemes = List(options.PaymentScheme, ApiFields.PaymentScheme);
            var environments = List(options.PaymentEnvironment, ApiFields.PaymentEnvironment);
            var method = providers == null && remitters == null && schemes == null && environments == null ? null
                : new PaymentMethodChoice(providers, remitters, schemes, environments);
            var flow = Flow(options, "link", options.ProviderId, ApiFields.PaymentProvider, options.UserEditable);
            var tracking = TrackingOf(options);
            var request = new LinkCreateRequest(amount, transfer, method, flow, tracking, null);
            if (options.AdditionalProperties == null) return request;
            KeepsTheMoney(options.AdditionalProperties);
            return new LinkCreateRequest(amount, transfer, method, flow, tracking, Merge(request, RequestJson.Default.LinkCreateRequest, options.AdditionalProperties));
        }

        /// <summary>The row's amount, read strictly for its currency (an unknown currency's amount is read with 2 decimal places; the currency is refused next).</summary>
        public static decimal ReadAmount(LinkCreateOptions options)
        {
            var code = string.IsNullOrWhiteSpace(options.Currency) ? "" : options.Currency!.Trim().ToUpperInvariant();
            return Amounts.Read(ApiFields.Amount, options.Amount, code, options.AmountCulture);
        }

        /// <summary>ais/consents/create.</summary>
        public static ConsentCreateRequest Consent(ConsentCreateOptions options)
        {
            var scope = options.Scope != null && options.Scope.Length > 0 ? ConsentCreateOptions.CheckScope(options.Scope) : null;
            var days = Rules.Range(ApiFields.ValidityDays, options.ValidityDays, ConsentCreateOptions.MinValidityDays, ConsentCreateOptions.MaxValidityDays);
            var providers = List(options.ProviderId, ApiFields.AisProvider);
            var owners = List(options.AccountOwnerType, ApiFields.AccountOwnerType);
            var environment = NonEmpty(Rules.OneOf(ApiFields.InterfaceEnvironment, string.IsNullOrWhiteSpace(options.InterfaceEnvironment) ? null : options.InterfaceEnvironment));
            var method = providers == null && owners == null && environment == null ? null : new AisMethodChoice(providers, owners, environment);
            var flow = Flow(options, "consent", options.ProviderId, ApiFields.AisProvider, null);
            var request = new ConsentCreateRequest(new ConsentTerms(scope, days), method, flow, TrackingOf(options), null);
            return options.AdditionalProperties == null ? request
                : new ConsentCreateRequest(request.Consent, method, flow, request.Tracking, Merge(request, RequestJson.Default.ConsentCreateRequest, options.AdditionalProperties));
        }

        /// <summary>
        /// The <c>options</c> both creates share. A flow other than "link" needs exactly one provider, because the bank's SCA
        /// URL is fetched at creation. Blank provider entries (an empty CSV cell) do not count.
        /// </summary>
        private static FlowOptions? Flow(CreateOptions options, string what, string[]? providers, ApiField providerField, bool? userEditable)
        {
            var flow = Rules.OneOf(ApiFields.FlowType, string.IsNullOrWhiteSpace(options.FlowType) ? null : options.FlowType);
            if (flow != null && flow != "link" && Rules.NonBlank(providers).Count() != 1)
                throw new FinqLinkValidationException(providerField, $"a {flow} {what} needs exactly one provider (the bank's SCA URL is fetched at creation)");
            var result = new FlowOptions(NonEmpty(flow),
                NonEmpty(Rules.UxTemplate(ApiFields.UxTemplate, options.UxTemplate)),
                NonEmpty(Rules.HttpUrl(ApiFields.WebhookUrl, options.WebhookUrl)),
                NonEmpty(Rules.HttpUrl(ApiFields.RedirectUrl, options.RedirectUrl)),
                Rules.Expiry(ApiFields.ExpiresIn, options.ExpiresIn) is TimeSpan expiry ? (long)expiry.TotalSeconds : (long?)null,
                userEditable);
            return result.IsEmpty ? null : result;
        }

        private static Tracking? TrackingOf(CreateOptions options) => Tracking.Of(
            NonEmpty(Rules.TrackingId(ApiFields.TrackingUserId, options.TrackingUserId)),
            NonEmpty(Rules.TrackingId(ApiFields.TrackingCompanyId, options.TrackingCompanyId)));

        /// <summary>
        /// The amount and currency sent are the row's, read strictly: AdditionalProperties may add to single_transfer but
        /// not replace it, nor its amount or currency (any case), or the output would show one amount and the link hold another.
        /// </summary>
        private static void KeepsTheMoney(IDictionary extra)
        {
            foreach (DictionaryEntry entry in extra)
            {
                if (!string.Equals(entry.Key?.ToString(), "single_transfer", StringComparison.OrdinalIgnoreCase)) continue;
                // Only a hashtable is merged into single_transfer; anything else (a JsonNode too) would replace it whole.
                if (!(entry.Value is IDictionary fields))
                    throw new FinqLinkValidationException(ApiFields.Extra, "'single_transfer' holds the row's amount and currency: add fields to it with a hashtable, do not replace it");
                foreach (var name in fields.Keys.Cast<object?>().Select(k => k?.ToString()))
                {
                    var parameter = string.Equals(name, "amount", StringComparison.OrdinalIgnoreCase) ? "Amount"
                        : string.Equals(name, "currency", StringComparison.OrdinalIgnoreCase) ? "Currency" : null;
                    if (parameter != null)
                        throw new FinqLinkValidationException(ApiFields.Extra, $"'single_transfer.{name}' is the row's {parameter} and cannot be overridden: set -Amount and -Currency instead");
                }
            }
        }

        /// <summary>The request as a JSON object with <paramref name="extra"/> merged over it, nested objects deeply; credentials refused.</summary>
        private static JsonObject Merge<T>(T request, JsonTypeInfo<T> info, IDictionary extra)
        {
            var body = (JsonObject)JsonSerializer.SerializeToNode(request, info)!;
            JsonMerge.Into(body, extra, ApiFields.Extra);
            return body;
        }

        /// <summary>The non-blank values, each checked against the field's closed set (or a 64-character limit); null when none.</summary>
        private static string[]? List(string[]? values, ApiField field)
        {
            var present = Rules.NonBlank(values).ToArray();
            if (present.Length == 0) return null;
            return present.Select(v => field.Allowed == null ? Rules.MaxLength(field, v, 64)! : Rules.OneOf(field, v)!).ToArray();
        }

        /// <summary>Absent and empty values are left out of a body.</summary>
        private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

        private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
    }
}
