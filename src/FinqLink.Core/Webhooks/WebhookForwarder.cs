using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Http;

namespace FinqLink.Webhooks
{
    /// <summary>Relays a verified webhook as it came (raw body, signature headers), so the next hop can verify it too.</summary>
    internal sealed class WebhookForwarder : IDisposable
    {
        private readonly Uri _target;
        private readonly string _shown;
        private readonly HttpClient _http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        public WebhookForwarder(Uri target)
        {
            _target = target;
            _shown = Redactor.RedactUrl(target);
        }

        /// <summary>"POST http://host/path -> 200" or why it failed; the URL shown without user info or query.</summary>
        public async Task<string> ForwardAsync(byte[] body, string signature, string kid, CancellationToken cancellationToken)
        {
            using var relay = new HttpRequestMessage(HttpMethod.Post, _target) { Content = new ByteArrayContent(body) };
            relay.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            relay.Headers.Add(WebhookHeaders.Signature, signature);
            relay.Headers.Add(WebhookHeaders.KeyId, kid);
            try
            {
                using var answer = await _http.SendAsync(relay, cancellationToken).ConfigureAwait(false);
                return $"POST {_shown} -> {(int)answer.StatusCode}";
            }
            catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                return $"POST {_shown} failed: {Redact(e.GetBaseException().Message)}";
            }
        }

        // An exception message may quote the URL it was given.
        private string Redact(string message) => _target.UserInfo.Length == 0 && _target.Query.Length == 0 ? message : message.Replace(_target.OriginalString, _shown).Replace(_target.AbsoluteUri, _shown);

        public void Dispose() => _http.Dispose();
    }
}
