using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace FinqLink.Validation
{
    /// <summary>The documented input rules, checked client-side so bad input never costs a request. Errors name the API field.</summary>
    public static class Rules
    {
        public static readonly TimeSpan MaxLinkExpiry = TimeSpan.FromDays(45);
        public static readonly string[] FlowTypes = { "link", "wrapped_sca", "direct_sca", "redirect_sca" };
        public static readonly string[] RemitterTypes = { "retail", "corporate" };
        public static readonly string[] PaymentSchemes = { "instant", "domestic", "SEPA" };
        public static readonly string[] Environments = { "sandbox", "stage", "prod" };
        public static readonly string[] AccountOwnerTypes = { "retail", "corporate" };
        public static readonly string[] Directions = { "credit", "debit" };
        public static readonly string[] TransactionStatuses = { "booked", "pending" };
        /// <summary>The templates the docs list; the set is open (the docs announce seven and list six).</summary>
        public static readonly string[] KnownUxTemplates = { "default", "classic", "compact", "cards", "glass", "sheet" };

        private static readonly Regex TrackingPattern = new Regex("^[a-z0-9][a-z0-9_-]{0,127}$", RegexOptions.CultureInvariant);
        private static readonly Regex TemplatePattern = new Regex("^[a-z0-9][a-z0-9_-]{0,63}$", RegexOptions.CultureInvariant);

        public static string Required(ApiField field, string? value, int maxLength)
        {
            if (string.IsNullOrWhiteSpace(value)) throw new FinqLinkValidationException(field, "is required");
            return MaxLength(field, value!.Trim(), maxLength)!;
        }

        public static string? MaxLength(ApiField field, string? value, int max)
        {
            if (value != null && value.Length > max) throw new FinqLinkValidationException(field, $"must be at most {max} characters (got {value.Length})");
            return value;
        }

        /// <summary>A value of the field's closed set, matched case-insensitively and answered in the documented spelling.</summary>
        public static string? OneOf(ApiField field, string? value)
        {
            if (value == null) return null;
            var allowed = field.Allowed ?? throw new InvalidOperationException($"{field} has no closed set of values.");
            foreach (var a in allowed) if (a == value) return value;
            foreach (var a in allowed) if (string.Equals(a, value.Trim(), StringComparison.OrdinalIgnoreCase)) return a;
            throw new FinqLinkValidationException(field, $"'{value}' is not one of {string.Join(", ", allowed)}");
        }

        public static string Currency(ApiField field, string? currency)
        {
            if (string.IsNullOrWhiteSpace(currency)) throw new FinqLinkValidationException(field, "is required (an ISO 4217 code such as RON or EUR)");
            var code = currency!.Trim().ToUpperInvariant();
            if (!Currencies.IsKnown(code)) throw new FinqLinkValidationException(field, $"'{currency}' is not an ISO 4217 currency code");
            return code;
        }

        public static string? Iban(ApiField field, string? iban)
        {
            if (string.IsNullOrWhiteSpace(iban)) return null;
            var normalized = iban!.Replace(" ", "").ToUpperInvariant();
            if (!IbanChecksum.IsValid(normalized)) throw new FinqLinkValidationException(field, $"'{iban}' is not a valid IBAN (ISO 13616 mod-97 checksum)");
            return normalized;
        }

        public static string? HttpUrl(ApiField field, string? url)
        {
            if (string.IsNullOrWhiteSpace(url)) return null;
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
                throw new FinqLinkValidationException(field, $"'{url}' must be an absolute http or https URL");
            return url;
        }

        public static string? TrackingId(ApiField field, string? value)
        {
            if (string.IsNullOrEmpty(value)) return null;
            if (!TrackingPattern.IsMatch(value))
                throw new FinqLinkValidationException(field, "must be 1-128 characters of lowercase letters, digits, '-' or '_', starting with a letter or digit");
            return value;
        }

        public static string? UxTemplate(ApiField field, string? value)
        {
            if (string.IsNullOrEmpty(value)) return null;
            if (!TemplatePattern.IsMatch(value)) throw new FinqLinkValidationException(field, $"'{value}' is not a template name (known: {string.Join(", ", KnownUxTemplates)})");
            return value;
        }

        public static TimeSpan? Expiry(ApiField field, TimeSpan? value)
        {
            if (value is TimeSpan v && (v < TimeSpan.FromSeconds(1) || v > MaxLinkExpiry))
                throw new FinqLinkValidationException(field, "must be between 1 second and 45 days");
            return value;
        }

        public static int? Range(ApiField field, int? value, int min, int max)
        {
            if (value is int v && (v < min || v > max)) throw new FinqLinkValidationException(field, $"must be between {min} and {max} (got {v})");
            return value;
        }

        /// <summary>A time range; one that ends before it starts is refused.</summary>
        public static void Ordered(ApiField fromField, DateTimeOffset? from, ApiField toField, DateTimeOffset? to)
        {
            if (from > to) throw new FinqLinkValidationException(fromField, $"must not be later than {toField.Path}");
        }

        public static IEnumerable<string> NonBlank(IEnumerable<string>? values)
        {
            if (values == null) yield break;
            foreach (var value in values)
                if (!string.IsNullOrWhiteSpace(value)) yield return value.Trim();
        }
    }

    public static class IbanChecksum
    {
        public static bool IsValid(string iban)
        {
            if (iban.Length < 15 || iban.Length > 34 || !char.IsLetter(iban[0]) || !char.IsLetter(iban[1])) return false;
            var remainder = 0;
            for (var i = 0; i < iban.Length; i++)
            {
                var c = iban[(i + 4) % iban.Length];
                if (c >= '0' && c <= '9') remainder = (remainder * 10 + (c - '0')) % 97;
                else if (c >= 'A' && c <= 'Z') remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
                else return false;
            }
            return remainder == 1;
        }
    }
}
