using System;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Auth;

namespace FinqLink.Http
{
    /// <summary>
    /// The one place requests are sent: credentials added, each attempt logged, the answer read straight from the
    /// response stream, failures turned into typed exceptions, and retries made only where <see cref="RetryDecision"/>
    /// allows. Every operation is a POST of a JSON body.
    /// </summary>
    internal sealed class ApiTransport
    {
        private readonly FinqLinkClientOptions _options;
        private readonly HttpClient _http;
        private readonly TimeProvider _time;

        public ApiTransport(FinqLinkClientOptions options, HttpClient http, TimeProvider time)
        {
            _options = options;
            _http = http;
            _time = time;
        }

        public HttpClient Http => _http;

        /// <summary>Sends <paramref name="call"/> and reads a successful answer with <paramref name="read"/>.</summary>
        public async Task<T> SendAsync<T>(ApiCall call, RequestOptions options, Func<Stream, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
        {
            var uri = _options.Paths.Resolve(call.Resource);
            var requestId = Guid.NewGuid().ToString("N");
            var tokenRefreshed = false;
            var tokenBased = !(_options.Authenticator is ClientSecretAuthenticator);
            for (var attempt = 0; ; attempt++)
            {
                Attempt<T> outcome;
                try
                {
                    using var request = await BuildAsync(call, uri, requestId, options, cancellationToken).ConfigureAwait(false);
                    outcome = await SendOnceAsync(request, call.Resource, options, read, cancellationToken).ConfigureAwait(false);
                }
                catch (FinqLinkTransportException tokenEndpointUnreachable)
                {
                    outcome = Attempt<T>.Failed(tokenEndpointUnreachable, sent: false);      // the API call itself never left
                }
                if (outcome.Failure == null) return outcome.Value!;

                var failure = outcome.Failure;
                if (RetryDecision.RefreshTokenAndRetry(failure, tokenBased, tokenRefreshed))
                {
                    _options.Authenticator.Invalidate();
                    tokenRefreshed = true;
                    attempt--;
                    continue;
                }
                if (attempt >= _options.Retry.MaxRetries || !RetryDecision.CanRetry(failure, call.Kind, outcome.Sent))
                    throw RetryDecision.Final(failure, call.Kind, outcome.Sent, call.Resource);
                var delay = _options.Retry.Delay(attempt, (failure as FinqLinkApiException)?.RetryAfter);
                options.Log?.Verbose($"Retrying POST {uri.AbsolutePath} in {delay.TotalMilliseconds:0} ms ({failure.Message})");
                options.Stats?.CountRetry();
                await _time.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task<HttpRequestMessage> BuildAsync(ApiCall call, Uri uri, string requestId, RequestOptions options, CancellationToken cancellationToken)
        {
            var credentials = new System.Text.Json.Nodes.JsonObject { ["client_id"] = _options.ClientId };
            var request = new HttpRequestMessage(HttpMethod.Post, uri);
            request.Headers.Add("x-request-id", requestId);
            try
            {
                await _options.Authenticator.AuthenticateAsync(request, credentials, new TokenContext(_http, options.Log), cancellationToken).ConfigureAwait(false);
                var bytes = call.Body.ToUtf8(credentials);
                request.Content = new ByteArrayContent(bytes);
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                if (options.Log?.DebugEnabled == true) options.Log.Debug($"POST {uri.AbsolutePath} body: {Redactor.RedactJson(Encoding.UTF8.GetString(bytes))}");
                return request;
            }
            catch
            {
                request.Dispose();
                throw;
            }
        }

        private async Task<Attempt<T>> SendOnceAsync<T>(HttpRequestMessage request, string resource, RequestOptions options,
            Func<Stream, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
        {
            var slot = options.Limiter == null ? null : await options.Limiter.AcquireAsync(cancellationToken).ConfigureAwait(false);
            var watch = Stopwatch.StartNew();
            var sentAt = _time.GetUtcNow();
            try
            {
                HttpResponseMessage response;
                try { response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false); }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { throw; }
                catch (Exception e) when (e is HttpRequestException || e is OperationCanceledException || e is IOException)
                {
                    options.Log?.Verbose($"POST {request.RequestUri!.AbsolutePath} -> no response after {watch.ElapsedMilliseconds} ms: {e.GetBaseException().Message}");
                    var transport = FinqLinkTransportException.From(resource, e);
                    return Attempt<T>.Failed(transport, sent: !transport.WasRefused);
                }
                using (response)
                {
                    if (response.Headers.Date is DateTimeOffset serverTime) options.ServerClock?.Observe(sentAt, _time.GetUtcNow(), serverTime, TimeSpan.FromSeconds(1));
                    try
                    {
                        if (!response.IsSuccessStatusCode) return await FailureAsync<T>(request, response, resource, watch, options).ConfigureAwait(false);
                        var value = await ReadSuccessAsync(request, response, read, watch, options, cancellationToken).ConfigureAwait(false);
                        options.Limiter?.OnSuccess();
                        return Attempt<T>.Succeeded(value);
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { throw; }
                    catch (Exception e) when (e is HttpRequestException || e is IOException || e is OperationCanceledException)
                    {
                        return Attempt<T>.Failed(new FinqLinkTransportException($"{resource}: the connection dropped while reading the answer", e), sent: true);
                    }
                    catch (FinqLinkResponseException unreadable) { return Attempt<T>.Failed(unreadable, sent: true); }
                }
            }
            finally { slot?.Dispose(); }
        }

        private static async Task<T> ReadSuccessAsync<T>(HttpRequestMessage request, HttpResponseMessage response,
            Func<Stream, CancellationToken, Task<T>> read, Stopwatch watch, RequestOptions options, CancellationToken cancellationToken)
        {
            T value;
            if (options.Log?.DebugEnabled == true)
            {
                var bytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                options.Log.Debug($"Answer {(int)response.StatusCode}: {Redactor.RedactJson(Encoding.UTF8.GetString(bytes))}");
                value = await ReadBody(read, new MemoryStream(bytes), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                value = await ReadBody(read, stream, cancellationToken).ConfigureAwait(false);
            }
            if (options.Log?.VerboseEnabled == true)
                options.Log.Verbose($"POST {request.RequestUri!.AbsolutePath} -> {(int)response.StatusCode} in {watch.ElapsedMilliseconds} ms (request {RequestIdOf(value) ?? "-"})");
            return value;
        }

        private static async Task<T> ReadBody<T>(Func<Stream, CancellationToken, Task<T>> read, Stream stream, CancellationToken cancellationToken)
        {
            try { return await read(stream, cancellationToken).ConfigureAwait(false); }
            catch (JsonException e) { throw new FinqLinkResponseException($"The answer is not the JSON this operation returns: {e.Message}", e); }
        }

        private async Task<Attempt<T>> FailureAsync<T>(HttpRequestMessage request, HttpResponseMessage response, string resource, Stopwatch watch, RequestOptions options)
        {
            var bytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            var failure = ApiErrors.From(response, bytes, resource, _time.GetUtcNow());
            options.Log?.Verbose($"POST {request.RequestUri!.AbsolutePath} -> {(int)response.StatusCode} in {watch.ElapsedMilliseconds} ms (request {failure.RequestId ?? "-"})");
            if (options.Log?.DebugEnabled == true) options.Log.Debug($"Answer {(int)response.StatusCode}: {Redactor.RedactJson(Encoding.UTF8.GetString(bytes))}");
            if ((int)response.StatusCode == 429)
            {
                options.Limiter?.OnRateLimited();
                options.Stats?.CountThrottled();
            }
            return Attempt<T>.Failed(failure, sent: true);
        }

        private static string? RequestIdOf(object? value) => value switch
        {
            Models.FinqObject answer => answer.RequestId,
            System.Collections.IDictionary map => map["request_id"] as string,
            _ => null,
        };

        private sealed class Attempt<T>
        {
            private Attempt(T? value, Exception? failure, bool sent)
            {
                Value = value;
                Failure = failure;
                Sent = sent;
            }

            public T? Value { get; }
            public Exception? Failure { get; }
            /// <summary>False only when the request certainly never reached the server.</summary>
            public bool Sent { get; }

            public static Attempt<T> Succeeded(T value) => new Attempt<T>(value, null, true);
            public static Attempt<T> Failed(Exception failure, bool sent) => new Attempt<T>(default, failure, sent);
        }
    }
}
