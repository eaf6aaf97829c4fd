using System;
using System.Globalization;
using FinqLink.Validation;

namespace FinqLink
{
    /// <summary>Amounts as FinqLink writes them: "100.50", no exponent, no separators, "." as the decimal point.</summary>
    public static class Money
    {
        /// <summary>A whole amount as "100", any other with at least two decimals ("100.50") and every digit it holds: never rounded.</summary>
        public static string Format(decimal value) => value == decimal.Truncate(value) ? Exact(value) : WithAtLeast(value, 2);

        /// <summary>
        /// An amount as a person reads it: invariant digits, "." as the point, no grouping, at least the currency's minor
        /// digits (JPY "100", RON "1250.50", BHD "1.234"; two for a code Core does not know) and every further digit the
        /// value holds, so nothing is rounded (RON 0.125 stays "0.125").
        /// </summary>
        public static string Display(decimal value, string? currency)
        {
            var code = currency?.Trim().ToUpperInvariant();
            return WithAtLeast(value, code != null && Currencies.IsKnown(code) ? Currencies.MinorDigits(code) : 2);
        }

        /// <summary>
        /// Whether <paramref name="value"/> is a whole number of one of .NET's integer types, and then its exact amount:
        /// every one of them fits a decimal. (A double or float is not: it may hold a binary fraction.)
        /// </summary>
        public static bool TryWhole(object? value, out decimal amount)
        {
            switch (value)
            {
                case int _:
                case long _:
                case short _:
                case byte _:
                case uint _:
                case ulong _:
                case ushort _:
                case sbyte _:
                    amount = Convert.ToDecimal(value, CultureInfo.InvariantCulture);
                    return true;
                default:
                    amount = 0;
                    return false;
            }
        }

        /// <summary>Every digit the value holds, padded with zeros to at least <paramref name="decimals"/> decimals.</summary>
        private static string WithAtLeast(decimal value, int decimals)
        {
            var text = Exact(value);
            var point = text.IndexOf('.');
            var digits = point < 0 ? 0 : text.Length - point - 1;
            if (digits >= decimals) return text;
            return (point < 0 ? text + "." : text) + new string('0', decimals - digits);
        }

        // 28 optional digits is decimal's largest scale: the text holds the value exactly, without trailing zeros.
        private static string Exact(decimal value) => value.ToString("0." + new string('#', 28), CultureInfo.InvariantCulture);
    }

    public static class Timestamp
    {
        public static string Format(DateTimeOffset value) =>
            value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }
}
