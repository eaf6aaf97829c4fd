using System;
using System.Linq;
using FinqLink.Auth;

namespace FinqLink.PowerShell
{
    /// <summary>
    /// A connection to FinqLink: where, as whom, and how. Shows no secret: the client secret, tokens and keys stay
    /// inside the client.
    /// </summary>
    public sealed class FinqLinkSession : IDisposable
    {
        internal FinqLinkSession(FinqLinkClient client, string? signingKeyId)
        {
            Client = client;
            SigningKeyId = signingKeyId;
            ConnectedAt = DateTimeOffset.Now;
        }

        internal FinqLinkClient Client { get; }

        public Uri BaseUri => Client.Options.Paths.BaseUri;
        public string ClientId => Client.Options.ClientId;
        public string AuthMethod => Client.Options.Authenticator.Method;
        public string ApiVersion => Client.Options.Paths.ApiVersion;
        public bool UseTestPath => Client.Options.Paths.UseTestPath;
        public Uri? TokenEndpoint => (Client.Options.Authenticator as OAuthAuthenticator)?.TokenEndpoint;
        public DateTimeOffset? TokenExpiresAt => Client.Options.Authenticator.TokenExpiresAt;
        public string? SigningKeyId { get; }
        public string? CertificateSubject => Client.Options.ClientCertificate?.Subject;
        public string? CertificateThumbprint => Client.Options.ClientCertificate?.Thumbprint;
        public bool SkipCertificateCheck => Client.Options.SkipCertificateCheck;
        public Uri? Proxy { get; internal set; }
        public DateTimeOffset ConnectedAt { get; }

        private string[]? _providerIds;
        private DateTimeOffset _providerIdsAt;

        /// <summary>The provider ids this session sees, for tab completion: asked once, kept ten minutes, empty when unreachable.</summary>
        internal string[] ProviderIds()
        {
            if (_providerIds != null && DateTimeOffset.UtcNow - _providerIdsAt < TimeSpan.FromMinutes(10)) return _providerIds;
            try
            {
                using var timeout = new System.Threading.CancellationTokenSource(TimeSpan.FromSeconds(3));
                var providers = System.Threading.Tasks.Task.Run(() => Client.Providers.ListAsync(null, null, timeout.Token)).GetAwaiter().GetResult();
                _providerIds = providers.Select(p => p.ProviderId).OrderBy(p => p, StringComparer.Ordinal).ToArray();
                _providerIdsAt = DateTimeOffset.UtcNow;
                return _providerIds;
            }
            catch (Exception e) when (e is FinqLinkApiException || e is FinqLinkTransportException || e is OperationCanceledException || e is FinqLinkResponseException)
            {
                return _providerIds ?? Array.Empty<string>();
            }
        }

        public override string ToString() => $"{ClientId} @ {BaseUri} ({AuthMethod})";

        /// <summary>False once Disconnect-FinqLink ended it.</summary>
        public bool Connected { get; private set; } = true;

        public void Dispose()
        {
            Connected = false;
            Client.Dispose();
        }
    }
}
