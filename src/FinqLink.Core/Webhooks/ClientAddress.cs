using System;
using System.Net;

namespace FinqLink.Webhooks
{
    /// <summary>
    /// Who sent a request: the connection's peer, or, when that peer is a trusted proxy, the address the proxies recorded
    /// in X-Forwarded-For. The list is read from the right (each proxy appends the address it was called from) and the
    /// first address that is not itself a trusted proxy is the client, so a sender cannot choose its address by writing
    /// its own X-Forwarded-For: whatever it wrote stays to the left of what the trusted proxy appended.
    /// </summary>
    public static class ClientAddress
    {
        /// <returns>The client's address, or null when a trusted proxy sent an X-Forwarded-For entry that is not an address.</returns>
        public static IPAddress? Resolve(IPAddress peer, string? forwardedFor, AddressList trustedProxies)
        {
            var client = AddressRange.Normalize(peer);
            if (trustedProxies.IsEmpty || !trustedProxies.Contains(client) || string.IsNullOrWhiteSpace(forwardedFor)) return client;
            var hops = forwardedFor!.Split(',');
            for (var i = hops.Length - 1; i >= 0; i--)
            {
                if (!TryParseHop(hops[i].Trim(), out var hop)) return null;
                client = AddressRange.Normalize(hop);
                if (!trustedProxies.Contains(client)) return client;
            }
            return client; // every hop is a trusted proxy: the leftmost one is the origin
        }

        /// <summary>An address, as proxies write them: 1.2.3.4, 2001:db8::1, or [2001:db8::1] (a port after it is ignored).</summary>
        private static bool TryParseHop(string hop, out IPAddress address)
        {
            if (hop.StartsWith("[", StringComparison.Ordinal))
            {
                var close = hop.IndexOf(']');
                if (close > 0) hop = hop.Substring(1, close - 1);
            }
            else if (hop.IndexOf(':') > 0 && hop.IndexOf(':') == hop.LastIndexOf(':')) hop = hop.Substring(0, hop.IndexOf(':')); // 1.2.3.4:5678
            return AddressRange.TryParseAddress(hop, out address);
        }
    }
}
