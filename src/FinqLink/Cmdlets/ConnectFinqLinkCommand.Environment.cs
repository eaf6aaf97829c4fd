using System;
using System.Security.Cryptography.X509Certificates;
using FinqLink.PowerShell.Infrastructure;
using FinqLink.Profiles;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>Connect-FinqLink without credential parameters: everything from FINQLINK_* environment variables.</summary>
    public sealed partial class ConnectFinqLinkCommand
    {
        /// <summary>The variable the credential's secret was read from, and where the client certificate came from: what -SaveProfile saves instead of them.</summary>
        private string? _secretVariable;
        private ConnectionProfile? _clientCertificateSource;

        /// <summary>Fills the parameters from FINQLINK_* variables (a parameter given wins) and says which credential set they make.</summary>
        private string ReadEnvironment(ConnectionEnvironment environment)
        {
            if (string.IsNullOrEmpty(ClientId)) ClientId = environment.Required(ConnectionEnvironment.ClientId, "the client id");
            if (BaseUri == null && Environment == null)
            {
                var baseUri = environment.Get(ConnectionEnvironment.BaseUri);
                var named = environment.Get(ConnectionEnvironment.Environment);
                if (baseUri != null) BaseUri = new Uri(baseUri, UriKind.RelativeOrAbsolute);
                else if (named != null) Environment = string.Equals(named, "Sandbox", StringComparison.OrdinalIgnoreCase) ? "Sandbox"
                    : throw new ArgumentException($"$env:{ConnectionEnvironment.Environment}: '{named}' is not an environment this module knows (Sandbox); set $env:{ConnectionEnvironment.BaseUri} instead.");
            }
            if (!MyInvocation.BoundParameters.ContainsKey(nameof(TokenEndpoint)) && environment.Get(ConnectionEnvironment.TokenEndpoint) is string endpoint) TokenEndpoint = new Uri(endpoint);
            if (!MyInvocation.BoundParameters.ContainsKey(nameof(KeyId))) KeyId = environment.Get(ConnectionEnvironment.KeyId);
            if (!MyInvocation.BoundParameters.ContainsKey(nameof(Scope)) && environment.Get(ConnectionEnvironment.Scope) is string scope) Scope = scope;
            if (!MyInvocation.BoundParameters.ContainsKey(nameof(ApiVersion)) && environment.Get(ConnectionEnvironment.ApiVersion) is string version) ApiVersion = version;
            if (!UseTestPath && environment.Flag(ConnectionEnvironment.UseTestPath) == true) UseTestPath = true;
            if (ClientCertificate == null) ClientCertificate = ClientCertificateFrom(environment);

            var credential = environment.Credential();
            _credentialOrigin = "$env:" + credential;
            var value = environment.Get(credential)!;
            _secretVariable = credential;
            switch (credential)
            {
                case ConnectionEnvironment.ClientSecret: ClientSecret = Secure(value); break;
                case ConnectionEnvironment.OAuthClientSecret: OAuthClientSecret = Secure(value); break;
                case ConnectionEnvironment.PrivateKeyPath: PrivateKeyPath = value; _secretVariable = null; break;
                case ConnectionEnvironment.PrivateKey: _privateKeyText = value; break;
                case ConnectionEnvironment.PfxPath:
                    PfxPath = value;
                    _secretVariable = null;
                    if (environment.Get(ConnectionEnvironment.PfxPassword) is string password)
                    {
                        PfxPassword = Secure(password);
                        _secretVariable = ConnectionEnvironment.PfxPassword;
                    }
                    break;
                case ConnectionEnvironment.CertificateThumbprint: CertificateThumbprint = value; _secretVariable = null; break;
                default: AccessToken = Secure(value); break;
            }
            return SetOfEnvironment();
        }

        private string SetOfEnvironment() =>
            ClientSecret != null ? ClientSecretSet : OAuthClientSecret != null ? OAuthSecretSet : PfxPath != null ? PfxSet
            : CertificateThumbprint != null ? ThumbprintSet : AccessToken != null ? AccessTokenSet : PrivateKeySet;

        private X509Certificate2? ClientCertificateFrom(ConnectionEnvironment environment)
        {
            if (environment.Get(ConnectionEnvironment.ClientCertificateThumbprint) is string thumbprint)
            {
                _clientCertificateSource = new ConnectionProfile { ClientCertificateThumbprint = thumbprint };
                return CertificateStore.Find(thumbprint, "$env:" + ConnectionEnvironment.ClientCertificateThumbprint);
            }
            if (!(environment.Get(ConnectionEnvironment.ClientCertificatePath) is string path)) return null;
            var hasPassword = environment.Get(ConnectionEnvironment.ClientCertificatePassword) != null;
            _clientCertificateSource = new ConnectionProfile
            {
                ClientCertificatePath = Resolve(path),
                ClientCertificatePasswordVariable = hasPassword ? ConnectionEnvironment.ClientCertificatePassword : null,
            };
            return ClientCertificateFile.Load(Resolve(path), environment.Get(ConnectionEnvironment.ClientCertificatePassword),
                "$env:" + ConnectionEnvironment.ClientCertificatePath, "$env:" + ConnectionEnvironment.ClientCertificatePassword);
        }
    }
}
