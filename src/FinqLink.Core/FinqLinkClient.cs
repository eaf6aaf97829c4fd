using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Auth;
using FinqLink.Http;
using FinqLink.Json;
using FinqLink.Paging;
using FinqLink.Webhooks;

namespace FinqLink
{
    /// <summary>
    /// One session's connection to FinqLink: a single HttpClient (client certificate, proxy, pooled connections)
    /// shared by every call and by the token endpoint. Every operation is a POST of a JSON body.
    /// </summary>
    public sealed class FinqLinkClient : IDisposable
    {
        private readonly HttpClient _http;

        public FinqLinkClient(FinqLinkClientOptions options)
        {
            Options = options;
            var handler = new HttpClientHandler { MaxConnectionsPerServer = options.MaxConnections, AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate };
            if (options.ClientCertificate != null)
            {
                handler.ClientCertificateOptions = ClientCertificateOption.Manual;
                handler.ClientCertificates.Add(options.ClientCertificate);
            }
            if (options.SkipCertificateCheck)
                handler.ServerCertificateCustomValidationCallback = (_, _, _, _) => true;
            if (options.Proxy != null)
            {
                handler.Proxy = options.Proxy;
                handler.UseProxy = true;
            }
            _http = new HttpClient(handler) { Timeout = options.Timeout };
            _http.DefaultRequestHeaders.UserAgent.ParseAdd("FinqLink-PowerShell/" + typeof(FinqLinkClient).Assembly.GetName().Version);
            WebhookKeys = new WebhookKeyCache(GetJwksAsync);
        }

        public FinqLinkClientOptions Options { get; }

        /// <summary>The session's cached copy of FinqLink's webhook signing keys.</summary>
        public WebhookKeyCache WebhookKeys { get; }

        /// <summary>Sends <paramref name="request"/> and reads the answer as <typeparamref name="T"/>.</summary>
        public async Task<T> SendAsync<T>(ApiRequest request, RequestOptions options, CancellationToken cancellationToken)
        {
            var json = await PostAsync(request.Resource, request.Body, WithKind(options, request.Kind), cancellationToken).ConfigureAwait(false);
            return json.Deserialize<T>(FinqJson.Options)!;
        }

        /// <summary>Sends <paramref name="request"/> and returns the answer as plain values (see <see cref="PlainJson"/>).</summary>
        public async Task<object?> SendForValuesAsync(ApiRequest request, RequestOptions options, CancellationToken cancellationToken)
        {
            var json = await PostAsync(request.Resource, request.Body, WithKind(options, request.Kind), cancellationToken).ConfigureAwait(false);
            return PlainJson.ToValues(json);
        }

        /// <summary>The items of a keyset-paged list, fetched a page at a time as the caller reads on.</summary>
        public IEnumerable<T> Page<T>(ApiRequest request, string itemsProperty, int pageSize, RequestOptions options,
            Action<PageInfo>? onPage, CancellationToken cancellationToken, bool prefetch = false) =>
            KeysetPager.Enumerate(this, request.Resource, request.Body, itemsProperty, pageSize, WithKind(options, request.Kind),
                item => item.Deserialize<T>(FinqJson.Options)!, onPage, cancellationToken, prefetch);

        /// <summary>Like <see cref="Page{T}"/>, with each item as plain values (see <see cref="PlainJson"/>).</summary>
        public IEnumerable<object?> PageValues(ApiRequest request, string itemsProperty, int pageSize, RequestOptions options,
            Action<PageInfo>? onPage, CancellationToken cancellationToken, bool prefetch = false) =>
            KeysetPager.Enumerate(this, request.Resource, request.Body, itemsProperty, pageSize, WithKind(options, request.Kind),
                PlainJson.ToValues, onPage, cancellationToken, prefetch);

        /// <summary>Fetches the webhook signing keys from <c>{base}/.well-known/jwks.json</c> (no authentication).</summary>
        public async Task<string> GetJwksAsync(CancellationToken cancellationToken)
        {
            var uri = new Uri(Options.Paths.BaseUri.ToString().TrimEnd('/') + "/.well-known/jwks.json");
            using var response = await _http.GetAsync(uri, cancellationToken).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw new FinqLinkApiException(response.StatusCode, null, null, null, $"{uri.AbsolutePath}: {(int)response.StatusCode} {response.ReasonPhrase}", null);
            return text;
        }

        private static RequestOptions WithKind(RequestOptions options, RequestKind kind) =>
            options.Kind == kind ? options : new RequestOptions { Kind = kind, Log = options.Log, Limiter = options.Limiter };

        /// <summary>Sends one API operation with authentication, retries where safe, and logging; returns the answer's JSON.</summary>
        internal async Task<JsonElement> PostAsync(string resource, JsonObject body, RequestOptions options, CancellationToken cancellationToken)
        {
            var uri = Options.Paths.Resolve(resource);
            var requestId = Guid.NewGuid().ToString("N");
            var unauthorizedRetried = false;
            for (var attempt = 0; ; attempt++)
            {
                var payload = (JsonObject)body.DeepClone();
                payload["client_id"] = Options.ClientId;
                using var request = new HttpRequestMessage(HttpMethod.Post, uri);
                request.Headers.Add("x-request-id", requestId);
                Outcome outcome;
                try
                {
                    await Options.Authenticator.AuthenticateAsync(request, payload, new TokenContext(_http, options.Log), cancellationToken).ConfigureAwait(false);
                    var text = payload.ToJsonString();
                    request.Content = new StringContent(text, Encoding.UTF8, "application/json");
                    if (options.Log?.DebugEnabled == true) options.Log.Debug($"POST {uri.AbsolutePath} body: {Redactor.RedactJson(text)}");
                    outcome = await SendOnceAsync(request, resource, options, cancellationToken).ConfigureAwait(false);
                }
                catch (FinqLinkTransportException tokenEndpointUnreachable)
                {
                    outcome = new Outcome(null, tokenEndpointUnreachable, sent: false);      // the API call itself never left
                }
                if (outcome.Body is JsonElement ok) return ok;

                var failure = outcome.Failure!;
                if (failure is FinqLinkApiException api && api.StatusCode == HttpStatusCode.Unauthorized
                    && !(Options.Authenticator is ClientSecretAuthenticator) && !unauthorizedRetried)
                {
                    Options.Authenticator.Invalidate();
                    unauthorizedRetried = true;
                    attempt--;
                    continue;
                }
                if (attempt >= Options.Retry.MaxRetries || !CanRetry(failure, options.Kind, outcome.Sent))
                    throw Final(failure, options.Kind, outcome.Sent, resource);
                var delay = Options.Retry.Delay(attempt, (failure as FinqLinkApiException)?.RetryAfter);
                options.Log?.Verbose($"Retrying POST {uri.AbsolutePath} in {delay.TotalMilliseconds:0} ms ({failure.Message})");
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task<Outcome> SendOnceAsync(HttpRequestMessage request, string resource, RequestOptions options, CancellationToken cancellationToken)
        {
            IDisposable? slot = options.Limiter == null ? null : await options.Limiter.AcquireAsync(cancellationToken).ConfigureAwait(false);
            var watch = Stopwatch.StartNew();
            try
            {
                HttpResponseMessage response;
                try { response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false); }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { throw; }
                catch (Exception e) when (e is HttpRequestException || e is OperationCanceledException || e is IOException)
                {
                    options.Log?.Verbose($"POST {request.RequestUri!.AbsolutePath} -> no response after {watch.ElapsedMilliseconds} ms: {e.GetBaseException().Message}");
                    var transport = FinqLinkTransportException.From(resource, e);
                    return new Outcome(null, transport, sent: !transport.WasRefused);
                }
                using (response)
                {
                    byte[] bytes;
                    try { bytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false); }
                    catch (Exception e) when (e is HttpRequestException || e is IOException)
                    {
                        return new Outcome(null, new FinqLinkTransportException($"{resource}: the connection dropped while reading the answer", e), sent: true);
                    }
                    var serverRequestId = TryReadRequestId(bytes);
                    options.Log?.Verbose($"POST {request.RequestUri!.AbsolutePath} -> {(int)response.StatusCode} in {watch.ElapsedMilliseconds} ms (request {serverRequestId ?? "-"})");
                    if (options.Log?.DebugEnabled == true) options.Log.Debug($"Answer {(int)response.StatusCode}: {Redactor.RedactJson(Encoding.UTF8.GetString(bytes))}");

                    if (response.IsSuccessStatusCode)
                    {
                        options.Limiter?.OnSuccess();
                        using var document = JsonDocument.Parse(bytes);
                        return new Outcome(document.RootElement.Clone(), null, sent: true);
                    }
                    if ((int)response.StatusCode == 429) options.Limiter?.OnRateLimited();
                    return new Outcome(null, ToApiException(response, bytes, resource), sent: true);
                }
            }
            finally { slot?.Dispose(); }
        }

        private static bool CanRetry(Exception failure, RequestKind kind, bool sent)
        {
            if (failure is FinqLinkTransportException { IsTlsFailure: true }) return false;
            if (failure is FinqLinkApiException api)
                return kind != RequestKind.Create ? RetryPolicy.IsRetryableStatus(api.StatusCode) : (int)api.StatusCode == 429;
            return kind != RequestKind.Create || !sent;
        }

        private static Exception Final(Exception failure, RequestKind kind, bool sent, string resource)
        {
            var ambiguous = failure is FinqLinkTransportException || (failure is FinqLinkApiException api && (int)api.StatusCode >= 500);
            if (kind == RequestKind.Create && sent && ambiguous)
                return new FinqLinkOutcomeUnknownException(
                    $"{resource}: the outcome is unknown ({failure.Message}); the server may have acted on the request, so it was not retried.", failure);
            return failure;
        }

        private static FinqLinkApiException ToApiException(HttpResponseMessage response, byte[] bytes, string resource)
        {
            string? code = null, errorId = null, requestId = null, message = null;
            try
            {
                using var document = JsonDocument.Parse(bytes);
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.Object)
                {
                    code = Read(root, "code");
                    errorId = Read(root, "error_id");
                    requestId = Read(root, "request_id");
                    message = Read(root, "message");
                }
            }
            catch (JsonException) { }
            message ??= bytes.Length == 0 ? response.ReasonPhrase ?? "no body" : Truncate(Encoding.UTF8.GetString(bytes));
            var retryAfter = RetryPolicy.ReadRetryAfter(response, DateTimeOffset.UtcNow);
            return new FinqLinkApiException(response.StatusCode, code, errorId, requestId,
                $"{resource}: {(int)response.StatusCode} {code ?? response.ReasonPhrase}: {message}", retryAfter);
        }

        private static string? TryReadRequestId(byte[] bytes)
        {
            try
            {
                var reader = new Utf8JsonReader(bytes);
                while (reader.Read())
                    if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("request_id"))
                        return reader.Read() ? reader.GetString() : null;
            }
            catch (JsonException) { }
            return null;
        }

        private static string? Read(JsonElement root, string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        private static string Truncate(string text) => text.Length <= 300 ? text : text.Substring(0, 300) + "…";

        public void Dispose() => _http.Dispose();

        private sealed class Outcome
        {
            public Outcome(JsonElement? body, Exception? failure, bool sent)
            {
                Body = body;
                Failure = failure;
                Sent = sent;
            }

            public JsonElement? Body { get; }
            public Exception? Failure { get; }
            /// <summary>False only when the request certainly never reached the server.</summary>
            public bool Sent { get; }
        }
    }
}
