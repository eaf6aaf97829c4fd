using System;
using System.Net;

namespace FinqLink
{
    /// <summary>
    /// The API answered with an error. Carries FinqLink's flat error fields: <c>code</c>, <c>error_id</c>,
    /// <c>request_id</c> and <c>message</c>.
    /// </summary>
    public class FinqLinkApiException : Exception
    {
        public FinqLinkApiException(HttpStatusCode statusCode, string? code, string? errorId, string? requestId, string message, TimeSpan? retryAfter = null)
            : base(message)
        {
            StatusCode = statusCode;
            Code = code;
            ErrorId = errorId;
            RequestId = requestId;
            RetryAfter = retryAfter;
        }

        public HttpStatusCode StatusCode { get; }
        public string? Code { get; }
        public string? ErrorId { get; }
        public string? RequestId { get; }
        /// <summary>How long the server asked us to wait (429/503 Retry-After), when it said.</summary>
        public TimeSpan? RetryAfter { get; }
    }

    /// <summary>
    /// A create request may or may not have taken effect (a 5xx, a timeout or a dropped connection after it was
    /// sent). It is never retried blindly; a bulk run's journal reconciles it.
    /// </summary>
    public sealed class FinqLinkOutcomeUnknownException : Exception
    {
        public FinqLinkOutcomeUnknownException(string message, Exception inner) : base(message, inner) { }
    }

    /// <summary>The request could not reach the API (DNS, refused connection, TLS, timeout on a read).</summary>
    public sealed class FinqLinkTransportException : Exception
    {
        public FinqLinkTransportException(string message, Exception inner) : base(message, inner) { }
    }
}
