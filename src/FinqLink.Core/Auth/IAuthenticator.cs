using System;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Http;

namespace FinqLink.Auth
{
    /// <summary>How a session proves who it is on each API call.</summary>
    public interface IAuthenticator
    {
        /// <summary>ClientSecret (test mode), PrivateKeyJwt or OAuthClientSecret.</summary>
        string Method { get; }

        /// <summary>When the cached access token expires; null in test mode or before the first call.</summary>
        DateTimeOffset? TokenExpiresAt { get; }

        /// <summary>Adds the session's proof to <paramref name="request"/> (a header) or to <paramref name="body"/>: the fields the body gets besides client_id.</summary>
        Task AuthenticateAsync(HttpRequestMessage request, JsonObject body, TokenContext context, CancellationToken cancellationToken);

        /// <summary>The API answered 401: forget the cached token so the one retry gets a fresh one.</summary>
        void Invalidate();
    }

    /// <summary>What the token request borrows from the client: its HttpClient (same proxy and certificate) and the log.</summary>
    public sealed class TokenContext
    {
        public TokenContext(HttpClient http, IRequestLog? log)
        {
            Http = http;
            Log = log;
        }

        public HttpClient Http { get; }
        public IRequestLog? Log { get; }
    }
}
