using System;
using System.Diagnostics.CodeAnalysis;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace FinqLink.Auth
{
    /// <summary>An access token obtained elsewhere, and when it stops being valid (null when not known).</summary>
    public sealed class AccessToken
    {
        public AccessToken(Secret value, DateTimeOffset? expiresAt)
        {
            Value = value;
            ExpiresAt = expiresAt;
        }

        public Secret Value { get; }
        public DateTimeOffset? ExpiresAt { get; }
    }

    /// <summary>
    /// Bearer tokens from the caller (a ready token, or a hook that fetches one): kept until shortly before they expire,
    /// then asked for again; a token of unknown lifetime is kept until the API refuses it (401), then asked for again once.
    /// </summary>
    [SuppressMessage("Design", "CA1001", Justification = "_renewal is a SemaphoreSlim whose wait handle is never created; it holds nothing to dispose.")]
    public sealed class TokenSourceAuthenticator : IAuthenticator
    {
        private static readonly TimeSpan RenewalMargin = TimeSpan.FromMinutes(1);
        private readonly Func<TokenContext, CancellationToken, Task<AccessToken>> _source;
        private readonly SemaphoreSlim _renewal = new SemaphoreSlim(1, 1);
        private volatile AccessToken? _token;

        public TokenSourceAuthenticator(Func<TokenContext, CancellationToken, Task<AccessToken>> source, string method)
        {
            _source = source;
            Method = method;
        }

        public string Method { get; }
        public DateTimeOffset? TokenExpiresAt => _token?.ExpiresAt;

        public async Task AuthenticateAsync(HttpRequestMessage request, JsonObject body, TokenContext context, CancellationToken cancellationToken)
        {
            var token = _token;
            if (token == null || NeedsRenewal(token))
            {
                await _renewal.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    token = _token;
                    if (token == null || NeedsRenewal(token))
                    {
                        _token = token = await _source(context, cancellationToken).ConfigureAwait(false);
                        context.Log?.Verbose("Access token obtained from the caller's token source" + (token.ExpiresAt is DateTimeOffset at ? $", valid until {Timestamp.Format(at)}." : "."));
                    }
                }
                finally { _renewal.Release(); }
            }
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value.Reveal());
        }

        public void Invalidate() => _token = null;

        private static bool NeedsRenewal(AccessToken token) => token.ExpiresAt is DateTimeOffset at && DateTimeOffset.UtcNow >= at - RenewalMargin;
    }
}
