using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Webhooks;

namespace FinqLink.PowerShell.Infrastructure
{
    /// <summary>
    /// Base of the cmdlets that check a received webhook: the raw body, the signature headers (as values or as the
    /// web host's header collection) and the keys (-Jwks, else the session's cached JWKS).
    /// </summary>
    public abstract class WebhookCmdlet : FinqCmdlet
    {
        protected const string HeadersSet = "Headers", SignatureSet = "Signature";
        private WebhookKeySet? _givenKeys;

        /// <summary>The raw request body, exactly as received: a string (read as UTF-8) or bytes.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("RawBody", "Content")]
        public object Body { get; set; } = "";

        /// <summary>The request headers: a hashtable, a dictionary or a NameValueCollection (HttpListener, Azure Functions, Pode).</summary>
        [Parameter(Mandatory = true, ParameterSetName = HeadersSet, ValueFromPipelineByPropertyName = true)]
        public object? Headers { get; set; }

        /// <summary>The x-signature header: a compact JWS.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SignatureSet)]
        [AllowEmptyString]
        public string? Signature { get; set; }

        /// <summary>The x-signature-kid header.</summary>
        [Parameter(ParameterSetName = SignatureSet)]
        [Alias("Kid")]
        public string? KeyId { get; set; }

        /// <summary>The keys to trust: a JWKS document (JSON) or Get-FinqWebhookKey output. By default the session's JWKS, fetched and cached.</summary>
        [Parameter]
        public object? Jwks { get; set; }

        protected WebhookVerification Verify(out byte[] body)
        {
            body = BodyBytes();
            var headers = Headers is PSObject ps ? ps.BaseObject : Headers;
            var signature = ParameterSetName == HeadersSet ? WebhookHeaders.Find(headers, WebhookHeaders.Signature) : Signature;
            var kid = ParameterSetName == HeadersSet ? WebhookHeaders.Find(headers, WebhookHeaders.KeyId) : KeyId;
            var bytes = body;
            if (Jwks != null)
            {
                var keys = _givenKeys ??= WebhookKeyArguments.From(Jwks);
                return WebhookVerifier.VerifyAsync(bytes, signature, kid, (k, _) => Task.FromResult(keys.Find(k)), CancellationToken.None)
                    .GetAwaiter().GetResult();
            }
            return Run((client, _, ct) => WebhookVerifier.VerifyAsync(bytes, signature, kid, client.WebhookKeys.FindAsync, ct));
        }

        private byte[] BodyBytes()
        {
            switch (Body is PSObject ps ? ps.BaseObject : Body)
            {
                case byte[] bytes: return bytes;
                case string text: return new UTF8Encoding(false).GetBytes(text);
                default: throw new ArgumentException("Body: give the raw body as a string or a byte array, exactly as received.");
            }
        }
    }
}
