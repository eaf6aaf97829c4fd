using System;
using System.Globalization;
using System.Net;
using System.Net.Http;

namespace FinqLink.Http
{
    /// <summary>Bounded retries with exponential backoff and full jitter; Retry-After (seconds or HTTP date) wins when given.</summary>
    public sealed class RetryPolicy
    {
        private readonly Random _jitter = new Random();

        public int MaxRetries { get; set; } = 4;
        public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(250);
        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

        public static bool IsRetryableStatus(HttpStatusCode status) =>
            status == (HttpStatusCode)429 || status == HttpStatusCode.InternalServerError || status == HttpStatusCode.BadGateway
            || status == HttpStatusCode.ServiceUnavailable || status == HttpStatusCode.GatewayTimeout || status == HttpStatusCode.RequestTimeout;

        public TimeSpan Delay(int attempt, TimeSpan? retryAfter)
        {
            if (retryAfter is TimeSpan asked) return asked < TimeSpan.Zero ? TimeSpan.Zero : (asked > MaxDelay ? MaxDelay : asked);
            var ceiling = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, attempt));
            double roll;
            lock (_jitter) roll = _jitter.NextDouble();
            return TimeSpan.FromMilliseconds(ceiling / 2 + roll * ceiling / 2);
        }

        public static TimeSpan? ReadRetryAfter(HttpResponseMessage response, DateTimeOffset now)
        {
            var header = response.Headers.RetryAfter;
            if (header == null) return null;
            if (header.Delta is TimeSpan delta) return delta;
            if (header.Date is DateTimeOffset date) return date - now;
            return null;
        }

        public static TimeSpan? ParseRetryAfter(string? value, DateTimeOffset now)
        {
            if (string.IsNullOrWhiteSpace(value)) return null;
            if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return TimeSpan.FromSeconds(seconds);
            if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)) return date - now;
            return null;
        }
    }
}
