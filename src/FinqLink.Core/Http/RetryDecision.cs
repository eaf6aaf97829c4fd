using System;
using System.Net;

namespace FinqLink.Http
{
    /// <summary>
    /// Whether a failed attempt is tried again, and what is reported when it is not. The one rule that matters most:
    /// a create is repeated only when the server certainly did nothing (429, a connection never made, a token that was
    /// never sent); a 5xx, a timeout or a dropped connection after sending makes its outcome unknown, never retried.
    /// </summary>
    internal static class RetryDecision
    {
        public static bool CanRetry(Exception failure, RequestKind kind, bool sent)
        {
            if (failure is FinqLinkTransportException { IsTlsFailure: true }) return false;
            if (failure is FinqLinkApiException api)
                return kind != RequestKind.Create ? RetryPolicy.IsRetryableStatus(api.StatusCode) : (int)api.StatusCode == 429;
            return kind != RequestKind.Create || !sent;
        }

        /// <summary>What the caller sees once retrying is over: a create that may have happened becomes an unknown outcome.</summary>
        public static Exception Final(Exception failure, RequestKind kind, bool sent, string resource)
        {
            var ambiguous = failure is FinqLinkTransportException || failure is FinqLinkResponseException || (failure is FinqLinkApiException api && (int)api.StatusCode >= 500);
            if (kind == RequestKind.Create && sent && ambiguous)
            {
                // An API error already starts with the resource: it is said once.
                var cause = failure.Message.StartsWith(resource + ": ", StringComparison.Ordinal) ? failure.Message.Substring(resource.Length + 2) : failure.Message;
                return new FinqLinkOutcomeUnknownException(
                    $"{resource}: the outcome is unknown ({cause}); the server may have acted on the request, so it was not retried.", failure);
            }
            return failure;
        }

        /// <summary>A 401 is answered once by forgetting the cached token (OAuth2 only: in test mode the secret cannot change).</summary>
        public static bool RefreshTokenAndRetry(Exception failure, bool tokenBased, bool alreadyRefreshed) =>
            tokenBased && !alreadyRefreshed && failure is FinqLinkApiException api && api.StatusCode == HttpStatusCode.Unauthorized;
    }
}
