using System;
using System.Net;

namespace FinqLink.Webhooks
{
    /// <summary>Where <see cref="WebhookListener"/> listens, whom it serves, and what a client may hold.</summary>
    public sealed class WebhookListenerOptions
    {
        /// <summary>The address and port to listen on: loopback unless someone chose otherwise.</summary>
        public IPEndPoint EndPoint { get; set; } = new IPEndPoint(IPAddress.Loopback, 8080);

        /// <summary>Requests outside this path are answered 404. Ends with /.</summary>
        public string Path { get; set; } = "/";

        /// <summary>From accepting a connection until its request line and headers are in.</summary>
        public TimeSpan HeaderTimeout { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>From the end of the headers until the whole body is in.</summary>
        public TimeSpan BodyTimeout { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>Connections held at once, counted until really closed. See <see cref="ConnectionSlots"/> for who makes room.</summary>
        public int MaxConnections { get; set; } = 128;

        /// <summary>Verified webhooks waiting for the caller at once; one more is answered 503 (FinqLink delivers it again).</summary>
        public int MaxWaitingWebhooks { get; set; } = 100;

        /// <summary>How long a verified webhook waits for the caller to take it before it is answered 503.</summary>
        public TimeSpan PipelineTimeout { get; set; } = TimeSpan.FromSeconds(30);

        public int MaxHeaderBytes { get; set; } = 16 * 1024;
        public int MaxBodyBytes { get; set; } = 1024 * 1024;

        /// <summary>Senders admitted (by address after <see cref="TrustedProxies"/>); empty admits every sender.</summary>
        public AddressList AllowedSources { get; set; } = new AddressList(Array.Empty<AddressRange>());

        /// <summary>Peers whose X-Forwarded-For is believed; nobody's by default.</summary>
        public AddressList TrustedProxies { get; set; } = new AddressList(Array.Empty<AddressRange>());

        public IWebhookDuplicateStore Duplicates { get; set; } = new DuplicateWindow(DuplicateWindow.DefaultWindow, DuplicateWindow.DefaultCapacity);

        public TimeProvider Time { get; set; } = TimeProvider.System;

        /// <summary>True when the listener can be reached from other machines.</summary>
        public bool BeyondLoopback => !IPAddress.IsLoopback(EndPoint.Address);

        /// <summary>
        /// Reads an HttpListener-style prefix: http://127.0.0.1:8080/hooks/, http://localhost:8080/ (loopback), or
        /// http://+:8080/ and http://*:8080/ (every interface). Host names are refused: this listener does not route by Host.
        /// </summary>
        public static (IPEndPoint EndPoint, string Path) ParsePrefix(string prefix)
        {
            if (!Uri.TryCreate(prefix.Replace("://+", "://0.0.0.0").Replace("://*", "://0.0.0.0"), UriKind.Absolute, out var uri) || !prefix.EndsWith("/", StringComparison.Ordinal))
                throw new FormatException($"'{prefix}' is not a prefix such as http://127.0.0.1:8080/hooks/ (it must end with /).");
            if (uri.Scheme != "http")
                throw new FormatException($"'{prefix}': only http is served; put a reverse proxy that ends TLS in front of it.");
            IPAddress address;
            if (uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) address = IPAddress.Loopback;
            else if (!IPAddress.TryParse(uri.Host.Trim('[', ']'), out address))
                throw new FormatException($"'{prefix}': give an IP address (127.0.0.1, 0.0.0.0 or + for every interface), not the host name '{uri.Host}'.");
            return (new IPEndPoint(address, uri.Port), uri.AbsolutePath);
        }
    }
}
