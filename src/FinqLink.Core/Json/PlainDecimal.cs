using System;
using System.Runtime.CompilerServices;

namespace FinqLink.Json
{
    /// <summary>
    /// Reads the common spelling of an amount ("1250.50", "-3") straight from its UTF-8 bytes, with the value and scale
    /// <see cref="decimal.Parse(string)"/> gives. Anything else (more than 18 digits, a leading '.', a sign other than
    /// '-') is left to the caller's full parse.
    /// </summary>
    internal static class PlainDecimal
    {
        private const int MaxDigits = 18;   // every 18-digit integer fits a long

        [MethodImpl(HotPath.Optimized)]
        public static bool TryParse(ReadOnlySpan<byte> utf8, out decimal value)
        {
            value = 0;
            var i = 0;
            var negative = utf8.Length > 0 && utf8[0] == (byte)'-';
            if (negative) i++;
            long digits = 0;
            int count = 0, scale = 0;
            var point = false;
            for (; i < utf8.Length; i++)
            {
                var c = utf8[i];
                if (c == (byte)'.' && !point && count > 0)
                {
                    point = true;
                    continue;
                }
                if (c < (byte)'0' || c > (byte)'9' || ++count > MaxDigits) return false;
                digits = digits * 10 + (c - '0');
                if (point) scale++;
            }
            if (count == 0 || (point && scale == 0)) return false;
            // "-0.00" keeps its sign bit, as decimal.Parse keeps it.
            value = new decimal((int)digits, (int)(digits >> 32), 0, negative, (byte)scale);
            return true;
        }
    }
}
