using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace FinqLink.Validation
{
    /// <summary>The documented input rules, checked client-side so bad input never costs a request.</summary>
    public static class Rules
    {
        public static readonly TimeSpan MaxLinkExpiry = TimeSpan.FromDays(45);
        public static readonly string[] FlowTypes = { "link", "wrapped_sca", "direct_sca", "redirect_sca" };
        public static readonly string[] RemitterTypes = { "retail", "corporate" };
        public static readonly string[] PaymentSchemes = { "instant", "domestic", "SEPA" };
        public static readonly string[] Environments = { "sandbox", "stage", "prod" };
        /// <summary>The templates the docs list; the set is open (the docs announce seven and list six).</summary>
        public static readonly string[] KnownUxTemplates = { "default", "classic", "compact", "cards", "glass", "sheet" };

        private static readonly Regex TrackingPattern = new Regex("^[a-z0-9][a-z0-9_-]{0,127}$", RegexOptions.CultureInvariant);
        private static readonly Regex TemplatePattern = new Regex("^[a-z0-9][a-z0-9_-]{0,63}$", RegexOptions.CultureInvariant);

        private static readonly HashSet<string> Currencies = new HashSet<string>(
            ("AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF CLP CNY COP " +
             "CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR " +
             "ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN " +
             "MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD " +
             "SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWL")
            .Split(' '), StringComparer.Ordinal);

        public static void Amount(string field, decimal amount)
        {
            if (amount <= 0) throw new FinqLinkValidationException(field, $"must be greater than zero (got {Money.Format(amount)})");
            if (decimal.Round(amount, 2) != amount) throw new FinqLinkValidationException(field, $"must have at most 2 decimal places (got {amount})");
            if (amount >= 1_000_000_000_000m) throw new FinqLinkValidationException(field, "must be less than 1,000,000,000,000");
        }

        public static string Currency(string field, string? currency)
        {
            if (string.IsNullOrWhiteSpace(currency)) throw new FinqLinkValidationException(field, "is required (an ISO 4217 code such as RON or EUR)");
            var code = currency!.Trim().ToUpperInvariant();
            if (!Currencies.Contains(code)) throw new FinqLinkValidationException(field, $"'{currency}' is not an ISO 4217 currency code");
            return code;
        }

        public static string? Iban(string field, string? iban)
        {
            if (string.IsNullOrWhiteSpace(iban)) return null;
            var normalized = iban!.Replace(" ", "").ToUpperInvariant();
            if (!IbanChecksum.IsValid(normalized)) throw new FinqLinkValidationException(field, $"'{iban}' is not a valid IBAN (ISO 13616 mod-97 checksum)");
            return normalized;
        }

        public static string? MaxLength(string field, string? value, int max)
        {
            if (value != null && value.Length > max) throw new FinqLinkValidationException(field, $"must be at most {max} characters (got {value.Length})");
            return value;
        }

        public static string? OneOf(string field, string? value, string[] allowed)
        {
            if (value == null) return null;
            foreach (var a in allowed) if (a == value) return value;
            foreach (var a in allowed) if (string.Equals(a, value, StringComparison.OrdinalIgnoreCase)) return a;
            throw new FinqLinkValidationException(field, $"'{value}' is not one of {string.Join(", ", allowed)}");
        }

        public static string? HttpUrl(string field, string? url)
        {
            if (string.IsNullOrWhiteSpace(url)) return null;
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
                throw new FinqLinkValidationException(field, $"'{url}' must be an absolute http or https URL");
            return url;
        }

        public static string? TrackingId(string field, string? value)
        {
            if (value == null) return null;
            if (!TrackingPattern.IsMatch(value))
                throw new FinqLinkValidationException(field, "must be 1-128 characters of lowercase letters, digits, '-' or '_', starting with a letter or digit");
            return value;
        }

        public static string? UxTemplate(string field, string? value)
        {
            if (value == null) return null;
            if (!TemplatePattern.IsMatch(value)) throw new FinqLinkValidationException(field, $"'{value}' is not a template name (known: {string.Join(", ", KnownUxTemplates)})");
            return value;
        }

        public static TimeSpan? Expiry(string field, TimeSpan? value)
        {
            if (value is TimeSpan v && (v < TimeSpan.FromSeconds(1) || v > MaxLinkExpiry))
                throw new FinqLinkValidationException(field, "must be between 1 second and 45 days");
            return value;
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
