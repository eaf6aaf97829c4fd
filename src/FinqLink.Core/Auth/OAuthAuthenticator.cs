using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Http;

namespace FinqLink.Auth
{
    /// <summary>
    /// OAuth2 client credentials: gets a Bearer token from the token endpoint, caches it, and renews it before it
    /// expires (one renewal at a time however many requests run concurrently).
    /// </summary>
    [SuppressMessage("Design", "CA1001", Justification = "_renewal is a SemaphoreSlim whose wait handle is never created; it holds nothing to dispose.")]
    public sealed class OAuthAuthenticator : IAuthenticator
    {
        public const string DefaultScope = "pay_by_link";

        private readonly string _clientId;
        private readonly IClientCredential _credential;
        private readonly SemaphoreSlim _renewal = new SemaphoreSlim(1, 1);
        private volatile CachedToken? _token;

        public OAuthAuthenticator(string clientId, Uri tokenEndpoint, string scope, IClientCredential credential)
        {
            _clientId = clientId;
            TokenEndpoint = tokenEndpoint;
            Scope = scope;
            _credential = credential;
        }

        public Uri TokenEndpoint { get; }
        public string Scope { get; }
        public string Method => _credential.Method;
        public DateTimeOffset? TokenExpiresAt => _token?.ExpiresAt;

        public async Task AuthenticateAsync(HttpRequestMessage request, JsonObject body, TokenContext context, CancellationToken cancellationToken)
        {
            var token = await GetTokenAsync(context, cancellationToken).ConfigureAwait(false);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        public void Invalidate() => _token = null;

        private async Task<string> GetTokenAsync(TokenContext context, CancellationToken cancellationToken)
        {
            var cached = _token;
            if (cached != null && !cached.NeedsRenewal(DateTimeOffset.UtcNow)) return cached.Value;
            await _renewal.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                cached = _token;
                if (cached != null && !cached.NeedsRenewal(DateTimeOffset.UtcNow)) return cached.Value;
                _token = cached = await FetchAsync(context, cancellationToken).ConfigureAwait(false);
                return cached.Value;
            }
            finally { _renewal.Release(); }
        }

        private async Task<CachedToken> FetchAsync(TokenContext context, CancellationToken cancellationToken)
        {
            var form = new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = _clientId,
                ["scope"] = Scope,
            };
            _credential.AddTo(form, _clientId, TokenEndpoint.ToString(), context);
            using var request = new HttpRequestMessage(HttpMethod.Post, TokenEndpoint) { Content = new FormUrlEncodedContent(form) };
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            var watch = Stopwatch.StartNew();
            HttpResponseMessage response;
            string text;
            try
            {
                response = await context.Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { throw; }
            catch (Exception e) when (e is HttpRequestException || e is OperationCanceledException || e is System.IO.IOException)
            {
                context.Log?.Verbose($"POST {TokenEndpoint.AbsolutePath} (token) -> no response after {watch.ElapsedMilliseconds} ms: {e.GetBaseException().Message}");
                throw FinqLinkTransportException.From("token endpoint " + TokenEndpoint.GetLeftPart(UriPartial.Authority), e);
            }
            using var disposeResponse = response;
            context.Log?.Verbose($"POST {TokenEndpoint.AbsolutePath} (token, {_credential.Method}) -> {(int)response.StatusCode} in {watch.ElapsedMilliseconds} ms");
            if (context.Log?.DebugEnabled == true) context.Log.Debug("Token response: " + Redactor.RedactJson(text));

            JsonObject? json = null;
            try { json = JsonNode.Parse(text) as JsonObject; } catch (JsonException) { }
            if (!response.IsSuccessStatusCode || json?["access_token"] is null)
            {
                var error = (string?)json?["error"] ?? "invalid_response";
                var description = (string?)json?["error_description"] ?? "The token endpoint did not return an access token.";
                throw new FinqLinkApiException(response.StatusCode, error, null, null, $"Token request failed ({error}): {description}");
            }
            var lifetime = TimeSpan.FromSeconds(json["expires_in"] is JsonValue v && v.TryGetValue(out int seconds) ? seconds : 3600);
            return new CachedToken((string)json["access_token"]!, DateTimeOffset.UtcNow + lifetime, lifetime);
        }

        private sealed class CachedToken
        {
            private readonly DateTimeOffset _renewAt;

            public CachedToken(string value, DateTimeOffset expiresAt, TimeSpan lifetime)
            {
                Value = value;
                ExpiresAt = expiresAt;
                // Renew at 80% of the lifetime, and at least a minute before expiry when the lifetime allows.
                var margin = TimeSpan.FromTicks(Math.Max(lifetime.Ticks / 5, Math.Min(TimeSpan.FromMinutes(1).Ticks, lifetime.Ticks / 2)));
                _renewAt = expiresAt - margin;
            }

            public string Value { get; }
            public DateTimeOffset ExpiresAt { get; }
            public bool NeedsRenewal(DateTimeOffset now) => now >= _renewAt;
        }
    }
}
