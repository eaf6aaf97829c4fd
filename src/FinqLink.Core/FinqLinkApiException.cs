using System;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;

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

    /// <summary>A success answer that is not what the operation returns (not JSON, or the wrong shape).</summary>
    public sealed class FinqLinkResponseException : Exception
    {
        public FinqLinkResponseException(string message, Exception inner) : base(message, inner) { }
    }

    /// <summary>A credential the caller supplies as code (a signer, a token source) failed or answered nonsense.</summary>
    public sealed class FinqLinkCredentialException : Exception
    {
        public FinqLinkCredentialException(string message, Exception? inner = null) : base(message, inner) { }
    }

    /// <summary>The request could not reach the API or the token endpoint (DNS, refused connection, TLS, timeout).</summary>
    public sealed class FinqLinkTransportException : Exception
    {
        public FinqLinkTransportException(string message, Exception inner) : base(message, inner) { }

        /// <summary>Describes <paramref name="failure"/> of a call to <paramref name="target"/> in words a user can act on.</summary>
        public static FinqLinkTransportException From(string target, Exception failure)
        {
            var detail = failure is OperationCanceledException ? "the request timed out" : failure.GetBaseException().Message;
            if (IsTls(failure))
                detail = $"the TLS handshake failed ({detail}); check the client certificate (-ClientCertificate) and that the server's certificate is trusted";
            return new FinqLinkTransportException($"{target}: {detail}", failure);
        }

        /// <summary>The connection was refused or the host unknown: nothing reached the server.</summary>
        public bool WasRefused =>
            InnerException?.GetBaseException() is SocketException socket
            && (socket.SocketErrorCode == SocketError.ConnectionRefused || socket.SocketErrorCode == SocketError.HostNotFound);

        /// <summary>A certificate problem, which retrying cannot fix.</summary>
        public bool IsTlsFailure => InnerException != null && IsTls(InnerException);

        private static bool IsTls(Exception e)
        {
            for (var current = e; current != null; current = current.InnerException)
                if (current is AuthenticationException) return true;
            return false;
        }
    }
}
