using System;
using System.Collections;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Json;
using FinqLink.Validation;

namespace FinqLink.LocalSandbox
{
    /// <summary>
    /// The local sandbox's control API under /sandbox/ (not part of FinqLink): plays payers and account holders, sets faults
    /// and the clock, reads counters. Refuses any host but loopback, so it can never be pointed at a real FinqLink.
    /// </summary>
    public sealed class SandboxControlClient
    {
        private static readonly HttpClient Shared = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        private readonly Uri _baseUri;

        public SandboxControlClient(Uri baseUri)
        {
            if (!IsLoopback(baseUri))
                throw new ArgumentException($"Sandbox: {baseUri} is not a local sandbox; the sandbox commands only talk to loopback addresses (127.0.0.1, ::1, localhost).");
            _baseUri = baseUri;
        }

        public static bool IsLoopback(Uri uri) =>
            uri.IsAbsoluteUri && (uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip)));

        /// <summary>Runs <paramref name="action"/> (on the link, consent or job <paramref name="id"/>); the answer comes back as plain values.</summary>
        public Task<object?> SendAsync(SandboxAction action, string? id, IDictionary? body, CancellationToken cancellationToken) =>
            SendAsync(action.Method, action.PathFor(id), body, cancellationToken);

        /// <summary>Calls <c>/sandbox/{path}</c> with GET, POST or DELETE; the answer comes back as plain values (see <see cref="PlainJson"/>).</summary>
        public Task<object?> SendAsync(string method, string path, IDictionary? body, CancellationToken cancellationToken) =>
            SendAsync(new HttpMethod(method.ToUpperInvariant()), path, body, cancellationToken);

        /// <summary>
        /// The webhook delivery log after entry <paramref name="after"/> (of one link, consent or job when <paramref name="id"/> is
        /// given); with <paramref name="wait"/>, the sandbox holds the answer until an entry comes or the wait ends.
        /// </summary>
        public async Task<SandboxWebhookLogPage> GetWebhookLogAsync(long after, string? id, TimeSpan wait, CancellationToken cancellationToken)
        {
            var query = "webhooks/log?after=" + after.ToString(System.Globalization.CultureInfo.InvariantCulture)
                + "&wait_ms=" + ((long)wait.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture)
                + (string.IsNullOrEmpty(id) ? "" : "&id=" + Uri.EscapeDataString(id!.Trim()));
            var text = await SendTextAsync(HttpMethod.Get, query, null, cancellationToken).ConfigureAwait(false);
            // A JsonException would make the cmdlets reference System.Text.Json, which loads only privately, through Core.
            try { return JsonSerializer.Deserialize<SandboxWebhookLogPage>(text, FinqJson.Options) ?? new SandboxWebhookLogPage(); }
            catch (JsonException e) { throw new InvalidOperationException("The sandbox's webhook log could not be read: " + e.Message, e); }
        }

        private async Task<object?> SendAsync(HttpMethod method, string path, IDictionary? body, CancellationToken cancellationToken)
        {
            var text = await SendTextAsync(method, path, body, cancellationToken).ConfigureAwait(false);
            return text.Length == 0 ? null : PlainJson.Parse(text);
        }

        private async Task<string> SendTextAsync(HttpMethod method, string path, IDictionary? body, CancellationToken cancellationToken)
        {
            var uri = new Uri(_baseUri, "/sandbox/" + path.TrimStart('/'));
            using var request = new HttpRequestMessage(method, uri);
            if (method != HttpMethod.Get && method != HttpMethod.Delete)
            {
                var json = new JsonObject();
                if (body != null) JsonMerge.Merge(json, body, ApiFields.Body);
                request.Content = new StringContent(json.ToJsonString(), Encoding.UTF8, "application/json");
            }
            using var response = await Shared.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"Sandbox {method} {uri.AbsolutePath}: {(int)response.StatusCode} {MessageOf(text) ?? response.ReasonPhrase}");
            return text;
        }

        private static string? MessageOf(string text)
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("message", out var m) ? m.GetString() : text;
            }
            catch (JsonException) { return text.Length > 300 ? text.Substring(0, 300) : text; }
        }
    }
}
