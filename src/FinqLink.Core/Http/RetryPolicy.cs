using System;
using System.Net;
using System.Net.Http;

namespace FinqLink.Http
{
    /// <summary>
    /// How many times, and how long apart, retryable failures are tried again: exponential backoff with "equal jitter"
    /// (a delay between half and all of the doubled base, so a retry is never instant), capped; Retry-After wins when given.
    /// </summary>
    public sealed class RetryPolicy
    {
        private readonly Random _jitter;

        public RetryPolicy() : this(new Random()) { }

        internal RetryPolicy(Random jitter) => _jitter = jitter;

        public int MaxRetries { get; set; } = 4;
        public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(250);
        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

        public static bool IsRetryableStatus(HttpStatusCode status) =>
            status == (HttpStatusCode)429 || status == HttpStatusCode.InternalServerError || status == HttpStatusCode.BadGateway
            || status == HttpStatusCode.ServiceUnavailable || status == HttpStatusCode.GatewayTimeout || status == HttpStatusCode.RequestTimeout;

        /// <summary>The wait before retry number <paramref name="attempt"/> + 1 (attempt 0 is the first retry).</summary>
        public TimeSpan Delay(int attempt, TimeSpan? retryAfter)
        {
            if (retryAfter is TimeSpan asked) return asked < TimeSpan.Zero ? TimeSpan.Zero : (asked > MaxDelay ? MaxDelay : asked);
            var ceiling = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, attempt));
            double roll;
            lock (_jitter) roll = _jitter.NextDouble();
            return TimeSpan.FromMilliseconds(ceiling / 2 + roll * ceiling / 2);
        }

        /// <summary>Retry-After as seconds or as an HTTP date (measured from <paramref name="now"/>).</summary>
        public static TimeSpan? ReadRetryAfter(HttpResponseMessage response, DateTimeOffset now)
        {
            var header = response.Headers.RetryAfter;
            if (header == null) return null;
            if (header.Delta is TimeSpan delta) return delta;
            if (header.Date is DateTimeOffset date) return date - now;
            return null;
        }
    }
}
