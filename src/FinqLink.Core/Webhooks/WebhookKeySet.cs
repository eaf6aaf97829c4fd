using System;
using System.Collections.Generic;
using System.Linq;
using FinqLink.Auth.Keys;
using Microsoft.IdentityModel.Tokens;

namespace FinqLink.Webhooks
{
    /// <summary>A parsed JWKS document: keys in the order published (newest first), refused ones included with their reason.</summary>
    public sealed class WebhookKeySet
    {
        public WebhookKeySet(IReadOnlyList<WebhookKey> keys) => Keys = keys;

        public IReadOnlyList<WebhookKey> Keys { get; }

        public WebhookKey? Find(string kid)
        {
            foreach (var key in Keys)
                if (string.Equals(key.KeyId, kid, StringComparison.Ordinal)) return key;
            return null;
        }

        /// <summary>Reads a JWKS document ({"keys": [...]}).</summary>
        /// <exception cref="KeyFormatException">The text is not a JWKS document.</exception>
        public static WebhookKeySet Parse(string json)
        {
            JsonWebKeySet set;
            try { set = new JsonWebKeySet(json); }
            catch (ArgumentException) { throw new KeyFormatException("The JWKS is not a JSON object {\"keys\": [...]} whose key members are strings. Give the JWKS document FinqLink publishes at /.well-known/jwks.json."); }
            if (set.Keys.Count == 0) throw new KeyFormatException("The JWKS lists no keys: expected {\"keys\": [...]}, as FinqLink publishes at /.well-known/jwks.json.");
            return new WebhookKeySet(set.Keys.Select(WebhookKey.FromJwk).Where(k => k != null).ToList()!);
        }

        /// <summary>Rebuilds a set from keys (e.g. the output of Get-FinqWebhookKey piped back in).</summary>
        public static WebhookKeySet FromKeys(IEnumerable<WebhookKey> keys) => new WebhookKeySet(keys.ToList());
    }
}
