using System;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using FinqLink.Profiles;

namespace FinqLink.Connections
{
    /// <summary>A request without credential parameters: everything from FINQLINK_* environment variables.</summary>
    public sealed partial class ConnectionBuilder
    {
        /// <summary>The variable the credential's secret was read from, and where the client certificate came from: what a profile saves instead of them.</summary>
        private string? _secretVariable;
        private ConnectionProfile? _clientCertificateSource;

        /// <summary>Fills the request from FINQLINK_* variables (a value given wins) and says which credential they make.</summary>
        private CredentialKind ReadEnvironment()
        {
            var r = _request;
            var environment = _environment;
            if (string.IsNullOrEmpty(r.ClientId)) r.ClientId = environment.Required(ConnectionEnvironment.ClientId, "the client id");
            if (r.BaseUri == null && r.Environment == null)
            {
                var baseUri = environment.Get(ConnectionEnvironment.BaseUri);
                var named = environment.Get(ConnectionEnvironment.Environment);
                if (baseUri != null) r.BaseUri = new Uri(baseUri, UriKind.RelativeOrAbsolute);
                else if (named != null) r.Environment = string.Equals(named, "Sandbox", StringComparison.OrdinalIgnoreCase) ? "Sandbox"
                    : throw new ArgumentException($"$env:{ConnectionEnvironment.Environment}: '{named}' is not an environment this module knows (Sandbox); set $env:{ConnectionEnvironment.BaseUri} instead.");
            }
            if (!r.IsGiven(nameof(r.TokenEndpoint)) && environment.Get(ConnectionEnvironment.TokenEndpoint) is string endpoint) r.TokenEndpoint = new Uri(endpoint);
            if (!r.IsGiven(nameof(r.KeyId))) r.KeyId = environment.Get(ConnectionEnvironment.KeyId);
            if (!r.IsGiven(nameof(r.Scope)) && environment.Get(ConnectionEnvironment.Scope) is string scope) r.Scope = scope;
            if (!r.IsGiven(nameof(r.ApiVersion)) && environment.Get(ConnectionEnvironment.ApiVersion) is string version) r.ApiVersion = version;
            if (!r.UseTestPath && environment.Flag(ConnectionEnvironment.UseTestPath) == true) r.UseTestPath = true;
            r.ClientCertificate ??= ClientCertificateFromEnvironment();

            var credential = environment.Credential();
            _credentialOrigin = "$env:" + credential;
            var value = environment.Get(credential)!;
            _secretVariable = credential;
            switch (credential)
            {
                case ConnectionEnvironment.ClientSecret: r.ClientSecret = Secure(value); return CredentialKind.ClientSecret;
                case ConnectionEnvironment.OAuthClientSecret: r.OAuthClientSecret = Secure(value); return CredentialKind.OAuthClientSecret;
                case ConnectionEnvironment.PrivateKeyPath: r.PrivateKeyPath = value; _secretVariable = null; return CredentialKind.PrivateKey;
                case ConnectionEnvironment.PrivateKey: r.PrivateKeyText = value; return CredentialKind.PrivateKey;
                case ConnectionEnvironment.PfxPath:
                    r.PfxPath = value;
                    _secretVariable = null;
                    if (environment.Get(ConnectionEnvironment.PfxPassword) is string password)
                    {
                        r.PfxPassword = Secure(password);
                        _secretVariable = ConnectionEnvironment.PfxPassword;
                    }
                    return CredentialKind.Pfx;
                case ConnectionEnvironment.CertificateThumbprint: r.CertificateThumbprint = value; _secretVariable = null; return CredentialKind.CertificateThumbprint;
                case ConnectionEnvironment.KeyVaultKeyId: r.KeyVaultKeyId = new Uri(value, UriKind.RelativeOrAbsolute); _secretVariable = null; return CredentialKind.KeyVaultKey;
                default: r.AccessToken = Secure(value); return CredentialKind.AccessToken;
            }
        }

        private X509Certificate2? ClientCertificateFromEnvironment()
        {
            var environment = _environment;
            if (environment.Get(ConnectionEnvironment.ClientCertificateThumbprint) is string thumbprint)
            {
                _clientCertificateSource = new ConnectionProfile { ClientCertificateThumbprint = thumbprint };
                return CertificateStore.Find(thumbprint, "$env:" + ConnectionEnvironment.ClientCertificateThumbprint);
            }
            if (!(environment.Get(ConnectionEnvironment.ClientCertificatePath) is string path)) return null;
            var hasPassword = environment.Get(ConnectionEnvironment.ClientCertificatePassword) != null;
            _clientCertificateSource = new ConnectionProfile
            {
                ClientCertificatePath = _resolvePath(path),
                ClientCertificatePasswordVariable = hasPassword ? ConnectionEnvironment.ClientCertificatePassword : null,
            };
            return ClientCertificateFile.Load(_resolvePath(path), environment.Get(ConnectionEnvironment.ClientCertificatePassword),
                "$env:" + ConnectionEnvironment.ClientCertificatePath, "$env:" + ConnectionEnvironment.ClientCertificatePassword);
        }

        private static SecureString Secure(string value)
        {
            var secure = new SecureString();
            foreach (var c in value) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }
    }
}
