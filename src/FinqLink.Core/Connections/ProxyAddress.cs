using System;
using System.Net;

namespace FinqLink.Connections
{
    /// <summary>
    /// A proxy as configured: credentials written into the URL (http://user:pass@host) are taken out and used as the
    /// proxy's credentials, and only the URL without them is ever shown (Get-FinqSession, transcripts, errors).
    /// </summary>
    internal sealed class ProxyAddress
    {
        private static readonly char[] Colon = { ':' };

        private ProxyAddress(IWebProxy proxy, Uri shown)
        {
            Proxy = proxy;
            Shown = shown;
        }

        public IWebProxy Proxy { get; }
        public Uri Shown { get; }

        public static ProxyAddress? From(Uri? uri, NetworkCredential? credential)
        {
            if (uri == null) return null;
            if (!uri.IsAbsoluteUri) throw new ArgumentException($"Proxy: '{uri.OriginalString}' must be an absolute URL.");
            var shown = new UriBuilder(uri) { UserName = "", Password = "" }.Uri;
            ICredentials? credentials = credential;
            if (credentials == null && uri.UserInfo.Length > 0)
            {
                var parts = uri.UserInfo.Split(Colon, 2);
                credentials = new NetworkCredential(Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "");
            }
            return new ProxyAddress(new WebProxy(shown) { Credentials = credentials }, shown);
        }
    }
}
