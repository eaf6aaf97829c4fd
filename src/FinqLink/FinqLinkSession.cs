using System;
using FinqLink.Auth;

namespace FinqLink.PowerShell
{
    /// <summary>
    /// A connection to FinqLink: where, as whom, and how. Shows no secret: the client secret, tokens and keys stay
    /// inside the client.
    /// </summary>
    public sealed class FinqLinkSession : IDisposable
    {
        internal FinqLinkSession(FinqLinkClient client, SigningKey? signingKey)
        {
            Client = client;
            SigningKeyId = signingKey?.KeyId;
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

        public override string ToString() => $"{ClientId} @ {BaseUri} ({AuthMethod})";

        public void Dispose() => Client.Dispose();
    }
}
