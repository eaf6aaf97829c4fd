using System;
using System.Linq;
using System.Management.Automation;
using FinqLink.Webhooks;

namespace FinqLink.PowerShell.Infrastructure
{
    /// <summary>What -Jwks takes: a JWKS document (JSON text), or keys from Get-FinqWebhookKey.</summary>
    internal static class WebhookKeyArguments
    {
        public static WebhookKeySet From(object? jwks)
        {
            var value = jwks is PSObject ps ? ps.BaseObject : jwks;
            switch (value)
            {
                case string json: return WebhookKeySet.Parse(json);
                case WebhookKeySet set: return set;
                case WebhookKey key: return WebhookKeySet.FromKeys(new[] { key });
                case object[] items when items.All(i => (i is PSObject p ? p.BaseObject : i) is WebhookKey):
                    return WebhookKeySet.FromKeys(items.Select(i => (WebhookKey)(i is PSObject p ? p.BaseObject : i)));
                default: throw new ArgumentException("Jwks: give a JWKS document (JSON text) or the output of Get-FinqWebhookKey.");
            }
        }
    }
}
