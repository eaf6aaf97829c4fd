using System;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using FinqLink.Auth;
using FinqLink.Http;

namespace FinqLink
{
    public sealed class FinqLinkClientOptions
    {
        public FinqLinkClientOptions(ApiPaths paths, string clientId, IAuthenticator authenticator)
        {
            if (string.IsNullOrWhiteSpace(clientId)) throw new ArgumentException("ClientId: a client id is required.");
            if (clientId.Length > 128) throw new ArgumentException("ClientId: must be at most 128 characters.");
            Paths = paths;
            ClientId = clientId;
            Authenticator = authenticator;
        }

        public ApiPaths Paths { get; }
        public string ClientId { get; }
        public IAuthenticator Authenticator { get; }
        /// <summary>The mTLS client certificate, presented to the API and the token endpoint.</summary>
        public X509Certificate2? ClientCertificate { get; set; }
        public IWebProxy? Proxy { get; set; }
        /// <summary>Accept any server certificate: only for a local sandbox with a throwaway certificate.</summary>
        public bool SkipCertificateCheck { get; set; }
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);
        public RetryPolicy Retry { get; set; } = new RetryPolicy();
        /// <summary>Connections kept to the API host; bulk runs need as many as their throttle limit.</summary>
        public int MaxConnections { get; set; } = 64;
    }
}
