using System;
using System.Globalization;

namespace FinqLink
{
    /// <summary>Amounts as FinqLink writes them: "100.50", no exponent, no separators, "." as the decimal point.</summary>
    public static class Money
    {
        public static string Format(decimal value)
        {
            var text = value.ToString("0.##", CultureInfo.InvariantCulture);
            return text.IndexOf('.') >= 0 ? value.ToString("0.00", CultureInfo.InvariantCulture) : text;
        }
    }

    public static class Timestamp
    {
        public static string Format(DateTimeOffset value) =>
            value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }
}
