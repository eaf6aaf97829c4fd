using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace FinqLink.Validation
{
    /// <summary>
    /// Money as written, never reinterpreted. Text is read strictly: in the API's own format (digits, an optional "."
    /// and at most the currency's minor-unit digits) unless a culture is named, and then in that culture's format only
    /// (its decimal separator, thousands groups of three). Anything else — "12,50" without a culture, "1,200.00",
    /// exponents, hex, suffixes, symbols, spaces inside — is an error that says how to write it. Typed numbers are taken
    /// as they are, except a floating-point value that cannot be written exactly in the currency's minor units.
    /// </summary>
    public static class Amounts
    {
        /// <summary>Amounts must be below this.</summary>
        public const decimal Limit = 1_000_000_000_000m;

        private static readonly Regex ApiFormat = new Regex(@"^[0-9]+(\.[0-9]+)?$", RegexOptions.CultureInvariant);

        /// <summary>The amount of <paramref name="value"/> (text or a number) for <paramref name="currency"/>; <paramref name="culture"/> names the text's format.</summary>
        public static decimal Read(ApiField field, object? value, string currency, CultureInfo? culture = null)
        {
            var minor = Currencies.IsKnown(currency) ? Currencies.MinorDigits(currency) : 2;
            decimal amount;
            switch (value)
            {
                case null: throw new FinqLinkValidationException(field, "is required");
                case string text: amount = culture == null ? FromApiText(field, text, currency, minor) : FromCultureText(field, text, culture, currency, minor); break;
                case decimal d: amount = Exact(field, d, currency, minor, Describe(d)); break;
                case double d: amount = FromBinary(field, d, currency, minor); break;
                case float f: amount = FromBinary(field, f, currency, minor); break;
                case var _ when Money.TryWhole(value, out var whole): amount = whole; break;
                default: throw new FinqLinkValidationException(field, $"a value of type {value.GetType().Name} is not an amount: give a number or text such as 150.00");
            }
            return InRange(field, amount);
        }

        /// <summary>The amount as the API's examples write it: the currency's minor digits, no separators, no exponent ("1200.00", "12.50", "1000" JPY, "1.500" BHD).</summary>
        public static string Format(decimal amount, string currency)
        {
            var minor = Currencies.IsKnown(currency) ? Currencies.MinorDigits(currency) : 2;
            return amount.ToString(minor == 0 ? "0" : "0." + new string('0', minor), CultureInfo.InvariantCulture);
        }

        private static decimal FromApiText(ApiField field, string text, string currency, int minor)
        {
            var trimmed = text.Trim();
            if (trimmed.Length == 0) throw new FinqLinkValidationException(field, "is empty");
            if (ApiFormat.IsMatch(trimmed))
            {
                var fraction = trimmed.IndexOf('.') < 0 ? 0 : trimmed.Length - trimmed.IndexOf('.') - 1;
                if (fraction > minor)
                    throw new FinqLinkValidationException(field, $"'{text}' has {Places(fraction)} and {currency} has {minor}"
                        + (fraction == 3 && minor == 2 ? "; if '.' separates thousands here, read the file with its culture (for example ro-RO or de-DE)" : ""));
                return decimal.Parse(trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            }
            throw new FinqLinkValidationException(field, $"'{text}' is not an amount in the API's format (digits and an optional '.', such as 1250.50): {WhatIsWrong(trimmed)}");
        }

        private static decimal FromCultureText(ApiField field, string text, CultureInfo culture, string currency, int minor)
        {
            var trimmed = text.Trim();
            var format = culture.NumberFormat;
            var point = format.NumberDecimalSeparator;
            var group = IsSpace(format.NumberGroupSeparator) ? "[ \u00A0\u202F]" : Regex.Escape(format.NumberGroupSeparator);
            var pattern = $@"^([0-9]+|[0-9]{{1,3}}({group}[0-9]{{3}})+)({Regex.Escape(point)}[0-9]+)?$";
            if (!Regex.IsMatch(trimmed, pattern, RegexOptions.CultureInvariant))
                throw new FinqLinkValidationException(field,
                    $"'{text}' is not an amount as {NameOf(culture)} writes one (decimal separator '{point}', thousands '{Visible(format.NumberGroupSeparator)}' in groups of three): {WhatIsWrongIn(trimmed, culture)}");
            var pointAt = trimmed.LastIndexOf(point, StringComparison.Ordinal);
            var fraction = pointAt < 0 ? 0 : trimmed.Length - pointAt - point.Length;
            if (fraction > minor) throw new FinqLinkValidationException(field, $"'{text}' has {Places(fraction)} and {currency} has {minor}");
            var whole = Regex.Replace(pointAt < 0 ? trimmed : trimmed.Substring(0, pointAt), "[^0-9]", "");
            var digits = pointAt < 0 ? whole : whole + "." + trimmed.Substring(pointAt + point.Length);
            return decimal.Parse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        }

        private static decimal FromBinary(ApiField field, double value, string currency, int minor)
        {
            if (double.IsNaN(value) || double.IsInfinity(value)) throw new FinqLinkValidationException(field, $"{value} is not an amount");
            // The shortest text that round-trips is what the number really holds: 0.1 + 0.2 holds 0.30000000000000004.
            var exact = value.ToString("R", CultureInfo.InvariantCulture);
            if (!decimal.TryParse(exact, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount))
                throw new FinqLinkValidationException(field, $"{exact} is out of range");
            return Exact(field, amount, currency, minor, exact);
        }

        private static decimal Exact(ApiField field, decimal amount, string currency, int minor, string shown)
        {
            if (decimal.Round(amount, minor) != amount)
                // No rounded value is suggested: which way to round is the user's decision, never the module's.
                throw new FinqLinkValidationException(field, $"{shown} has more decimal places than {currency}'s {minor}; give the amount as text or a [decimal] with at most {Places(minor)}");
            return amount;
        }

        private static string Places(int count) => count == 1 ? "1 decimal place" : $"{count} decimal places";

        private static decimal InRange(ApiField field, decimal amount)
        {
            if (amount <= 0) throw new FinqLinkValidationException(field, $"must be greater than zero (got {amount.ToString(CultureInfo.InvariantCulture)})");
            if (amount >= Limit) throw new FinqLinkValidationException(field, "must be less than 1000000000000");
            return amount;
        }

        private static string WhatIsWrong(string text)
        {
            if (Regex.IsMatch(text, @"^[0-9]{1,3},[0-9]{3}$")) return "',' could separate thousands or decimals; write the amount with '.' as the decimal separator and no thousands separator, or read the file with its culture";
            if (Regex.IsMatch(text, @"^[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$")) return "',' looks like a thousands separator; remove it (1200.00), or read the file with its culture (for example en-US)";
            if (Regex.IsMatch(text, @"^[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?$")) return "'.' looks like a thousands separator and ',' like the decimal one; read the file with its culture (for example ro-RO or de-DE)";
            if (Regex.IsMatch(text, @"^[0-9]+,[0-9]+$")) return "',' looks like a decimal separator; write '.' (12.50), or read the file with its culture (for example ro-RO)";
            return CharacterRule(text, "1250.50");
        }

        private static string WhatIsWrongIn(string text, CultureInfo culture)
        {
            var format = culture.NumberFormat;
            var group = format.NumberGroupSeparator;
            var grouped = IsSpace(group) ? Regex.IsMatch(text, @"[0-9][ \u00A0\u202F]") : text.Contains(group);
            if (grouped && !text.StartsWith("-", StringComparison.Ordinal) && !text.StartsWith("+", StringComparison.Ordinal))
                return IsSpace(group)
                    ? $"in {NameOf(culture)} a space only separates thousands, in groups of three (1 250{format.NumberDecimalSeparator}50)"
                    : $"in {NameOf(culture)} '{group}' only separates thousands, in groups of three (1{group}250{format.NumberDecimalSeparator}50)";
            return CharacterRule(text, $"1250{format.NumberDecimalSeparator}50");
        }

        private static string CharacterRule(string text, string example)
        {
            if (text.StartsWith("-", StringComparison.Ordinal)) return "amounts are positive";
            if (text.StartsWith("+", StringComparison.Ordinal)) return "write the amount without a sign";
            if (Regex.IsMatch(text, "^0[xX]")) return "hexadecimal is not accepted";
            if (Regex.IsMatch(text, @"[0-9][eE][+-]?[0-9]")) return "exponents are not accepted; write the digits out";
            if (Regex.IsMatch(text, @"\s")) return "spaces are not accepted inside an amount";
            if (Regex.IsMatch(text, @"[^0-9.,\s+-]")) return "only digits and a decimal separator are accepted (no currency symbols, codes or suffixes)";
            return $"write it as digits with an optional decimal part, such as {example}";
        }

        private static bool IsSpace(string separator) => separator.Length == 1 && (char.IsWhiteSpace(separator[0]) || separator[0] == '\u202F');

        private static string Visible(string separator) => IsSpace(separator) ? "space" : separator;

        private static string Describe(decimal value) => value.ToString(CultureInfo.InvariantCulture);

        /// <summary>How a message names a culture: the invariant one has no name.</summary>
        private static string NameOf(CultureInfo culture) => culture.Name.Length == 0 ? "the invariant culture" : culture.Name;
    }
}
