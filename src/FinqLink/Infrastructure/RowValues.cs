using System;
using System.Globalization;
using System.Management.Automation;
using System.Xml;
using FinqLink.Validation;

namespace FinqLink.PowerShell.Infrastructure
{
    /// <summary>
    /// Values that arrive from CSV rows as text, read strictly. PowerShell's own binding silently skips an optional
    /// parameter it cannot convert, so these parameters take any object and an unreadable value is an error for its row.
    /// </summary>
    internal static class RowValues
    {
        public static object? Unwrap(object? value) => value is PSObject ps ? ps.BaseObject : value;

        /// <summary>A duration: a TimeSpan, "d.hh:mm:ss" (7.00:00:00) or ISO 8601 (P7D, PT12H); blank is none.</summary>
        public static TimeSpan? Duration(ApiField field, object? value)
        {
            switch (Unwrap(value))
            {
                case null: return null;
                case TimeSpan span: return span;
                case string text when string.IsNullOrWhiteSpace(text): return null;
                case string text:
                    var trimmed = text.Trim();
                    if (TimeSpan.TryParseExact(trimmed, "c", CultureInfo.InvariantCulture, out var exact)) return exact;
                    if (trimmed.StartsWith("P", StringComparison.OrdinalIgnoreCase))
                    {
                        try { return XmlConvert.ToTimeSpan(trimmed.ToUpperInvariant()); }
                        catch (FormatException) { }
                    }
                    throw new FinqLinkValidationException(field, $"'{text}' is not a duration: write d.hh:mm:ss (2.00:00:00 for two days) or ISO 8601 (P2D, PT12H)");
                default:
                    throw new FinqLinkValidationException(field, $"a value of type {Unwrap(value)!.GetType().Name} is not a duration: give a TimeSpan (New-TimeSpan -Days 2) or text such as P2D");
            }
        }

        /// <summary>A yes/no: a bool or switch, or "true"/"false", "yes"/"no", "1"/"0"; blank is not given.</summary>
        public static bool? Flag(ApiField field, object? value)
        {
            switch (Unwrap(value))
            {
                case null: return null;
                case bool b: return b;
                case SwitchParameter s: return s.IsPresent;
                case string text when string.IsNullOrWhiteSpace(text): return null;
                case string text:
                    switch (text.Trim().ToLowerInvariant())
                    {
                        case "true": case "yes": case "1": return true;
                        case "false": case "no": case "0": return false;
                    }
                    throw new FinqLinkValidationException(field, $"'{text}' is not true or false");
                case int n when n == 0 || n == 1: return n == 1;
                default:
                    throw new FinqLinkValidationException(field, $"'{Unwrap(value)}' is not true or false");
            }
        }
    }
}
