using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace FinqLink.Models.Data
{
    /// <summary>
    /// ais/jobs/create answers 400 cooldown_failed while a consent's previous refresh is too recent. The docs do not
    /// give the cooldown's length, so the earliest retry comes from Retry-After or a time in the message, when present.
    /// </summary>
    public static class RefreshCooldown
    {
        private static readonly Regex IsoTime = new Regex(@"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})", RegexOptions.CultureInvariant);

        public static bool Is(FinqLinkApiException e) => e.Code == ApiErrorCodes.CooldownFailed;

        public static DateTimeOffset? NextAllowed(FinqLinkApiException e, DateTimeOffset now)
        {
            if (e.RetryAfter is TimeSpan wait) return now + wait;
            var matches = IsoTime.Matches(e.Message);
            if (matches.Count == 0) return null;
            var last = matches[matches.Count - 1].Value;
            return DateTimeOffset.TryParse(last, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : (DateTimeOffset?)null;
        }

        public static string Explain(string consentId, FinqLinkApiException e, DateTimeOffset now)
        {
            var next = NextAllowed(e, now);
            var when = next is DateTimeOffset at
                ? $" The next refresh is allowed from {Timestamp.Format(at)} (in {Math.Max(0, Math.Ceiling((at - now).TotalMinutes))} min)."
                : " FinqLink did not say when the cooldown ends; try again later.";
            return $"{consentId}: a data refresh ran too recently, so FinqLink refused another one during its cooldown.{when} The data from the last refresh is still readable. ({e.Message})";
        }
    }
}
