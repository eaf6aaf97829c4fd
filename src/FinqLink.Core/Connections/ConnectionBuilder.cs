using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using FinqLink.Auth;
using FinqLink.Auth.Keys;
using FinqLink.Http;
using FinqLink.Profiles;

namespace FinqLink.Connections
{
    /// <summary>
    /// Builds a connection from a request, as Connect-FinqLink asks for it: fills what was not given from FINQLINK_*
    /// variables or a saved profile, applies the rules between values (one base URI, one credential), loads the key or
    /// certificate, and checks the profile to save before anything is sent. One builder builds one request.
    /// </summary>
    public sealed partial class ConnectionBuilder
    {
        public const string SandboxBaseUri = "https://sandbox-pay.finqware.com";

        private readonly ConnectionRequest _request;
        private readonly ConnectionEnvironment _environment;
        private readonly Func<string, string> _resolvePath;
        private readonly ConnectionProfileStore? _profiles;
        private readonly Action<string> _warn;

        /// <summary>Where the credential came from when it was not a parameter ("$env:FINQLINK_PFX_PATH"): errors name it.</summary>
        private string? _credentialOrigin;

        /// <param name="request">What was asked; filled in place from the environment or the profile.</param>
        /// <param name="environment">The environment variables (the process's, or a test's): FINQLINK_* and those a profile names.</param>
        /// <param name="resolvePath">Makes a path the caller gave absolute (PowerShell resolves it against its current location).</param>
        /// <param name="profiles">Where profiles are kept; by default the user's config folder.</param>
        /// <param name="warn">Told what the caller should know but that does not stop the connection.</param>
        public ConnectionBuilder(ConnectionRequest request, IReadOnlyDictionary<string, string> environment, Func<string, string>? resolvePath = null,
            ConnectionProfileStore? profiles = null, Action<string>? warn = null)
        {
            _request = request;
            _environment = new ConnectionEnvironment(environment);
            _resolvePath = resolvePath ?? System.IO.Path.GetFullPath;
            _profiles = profiles;
            _warn = warn ?? (_ => { });
        }

        private ConnectionProfileStore Profiles => _profiles ?? new ConnectionProfileStore();

        /// <summary>
        /// The connection, or the reason there is none: <see cref="ConnectionProfileException"/> for a profile,
        /// <see cref="InvalidCredentialException"/> for a key or certificate, else an ArgumentException,
        /// FormatException, IOException, CryptographicException or InvalidOperationException saying what is wrong.
        /// </summary>
        public Connection Build()
        {
            var kind = _request.Kind;
            try
            {
                kind = kind == CredentialKind.FromEnvironment ? ReadEnvironment() : kind == CredentialKind.FromProfile ? ReadProfile() : kind;
                var saving = _request.SaveProfile == null ? null : ProfileToSave(kind);
                return Create(kind, saving);
            }
            catch (KeyFormatException bad)
            {
                // The key is the parameter at fault: name it (or the variable it came from), and point at it.
                var parameter = KeyParameter(kind);
                var r = _request;
                throw new InvalidCredentialException(parameter, (object?)r.PrivateKeyPath ?? (object?)r.PfxPath ?? r.Certificate ?? (object?)r.CertificateThumbprint,
                    $"{_credentialOrigin ?? "-" + parameter}: {bad.Message}", bad);
            }
        }

        private Connection Create(CredentialKind kind, ConnectionProfile? saving)
        {
            var r = _request;
            var baseUri = ResolveBaseUri();
            SigningKey? key = null;
            IAuthenticator authenticator;
            switch (kind)
            {
                case CredentialKind.ClientSecret: authenticator = new ClientSecretAuthenticator(new Secret(r.ClientSecret!)); break;
                case CredentialKind.OAuthClientSecret: authenticator = OAuth(baseUri, new ClientSecretCredential(new Secret(r.OAuthClientSecret!))); break;
                case CredentialKind.Signer: authenticator = OAuth(baseUri, new ExternalSignerCredential(r.KeyId!, r.SigningAlgorithm, r.Signer!)); break;
                case CredentialKind.AccessToken:
                    var token = new AccessToken(new Secret(r.AccessToken!), r.AccessTokenExpiresAt);
                    authenticator = new TokenSourceAuthenticator((_, _) => Task.FromResult(token), "AccessToken");
                    break;
                case CredentialKind.KeyVaultKey:
                    var keyId = KeyVaultKeys.Check(r.KeyVaultKeyId!, _credentialOrigin ?? "-KeyVaultKeyId");
                    var sign = Azure.AzureParts.Get().KeyVaultSigner(keyId, r.SigningAlgorithm);
                    r.KeyId ??= KeyVaultKeys.NameOf(keyId);
                    authenticator = OAuth(baseUri, new ExternalSignerCredential(r.KeyId, r.SigningAlgorithm, (input, _) => sign(input), "PrivateKeyJwtKeyVault"));
                    break;
                case CredentialKind.AccessTokenProvider:
                    var provider = r.AccessTokenProvider!;
                    authenticator = new TokenSourceAuthenticator((context, _) => Task.FromResult(provider(context)), "AccessTokenProvider");
                    break;
                default:
                    key = LoadKey(kind);
                    authenticator = OAuth(baseUri, new PrivateKeyJwtCredential(key));
                    break;
            }
            var options = new FinqLinkClientOptions(new ApiPaths(baseUri, r.ApiVersion, r.UseTestPath), r.ClientId, authenticator)
            {
                ClientCertificate = r.ClientCertificate,
                SkipCertificateCheck = r.SkipCertificateCheck,
                Timeout = TimeSpan.FromSeconds(r.TimeoutSec),
                Retry = new RetryPolicy { MaxRetries = r.MaxRetries },
            };
            var proxy = ProxyAddress.From(r.Proxy, r.ProxyCredential);
            if (proxy != null) options.Proxy = proxy.Proxy;
            return new Connection(options, key?.KeyId ?? (kind == CredentialKind.Signer || kind == CredentialKind.KeyVaultKey ? r.KeyId : null), proxy?.Shown, saving);
        }

        private Uri ResolveBaseUri()
        {
            var r = _request;
            if (r.BaseUri != null && r.Environment != null) throw new ArgumentException("BaseUri and Environment: give one, not both.");
            if (r.Environment == "Sandbox") return new Uri(SandboxBaseUri);
            if (r.BaseUri == null)
                throw new ArgumentException($"BaseUri: required (or -Environment Sandbox for Finqware's sandbox, or $env:{ConnectionEnvironment.BaseUri}).");
            if (!r.BaseUri.IsAbsoluteUri || (r.BaseUri.Scheme != "https" && r.BaseUri.Scheme != "http"))
                throw new ArgumentException($"BaseUri: '{r.BaseUri}' must be an absolute http or https URL.");
            return r.BaseUri;
        }

        private OAuthAuthenticator OAuth(Uri baseUri, IClientCredential credential) =>
            new OAuthAuthenticator(_request.ClientId, TokenEndpoints.Resolve(baseUri, _request.TokenEndpoint), _request.Scope, credential);

        private static string KeyParameter(CredentialKind kind) => kind switch
        {
            CredentialKind.Pfx => nameof(ConnectionRequest.PfxPath),
            CredentialKind.Certificate => nameof(ConnectionRequest.Certificate),
            CredentialKind.CertificateThumbprint => nameof(ConnectionRequest.CertificateThumbprint),
            _ => nameof(ConnectionRequest.PrivateKeyPath),
        };

        private SigningKey LoadKey(CredentialKind kind)
        {
            var r = _request;
            switch (kind)
            {
                case CredentialKind.PrivateKey when r.PrivateKeyText != null:
                    return SigningKey.FromText(r.PrivateKeyText, r.KeyId, "$env:" + ConnectionEnvironment.PrivateKey);
                case CredentialKind.PrivateKey:
                    return SigningKey.FromFile(_resolvePath(r.PrivateKeyPath!), r.KeyId);
                case CredentialKind.Certificate:
                    return SigningKey.FromCertificate(r.Certificate!, r.KeyId);
                case CredentialKind.Pfx:
                    return SigningKey.FromPfx(_resolvePath(r.PfxPath!), r.PfxPassword, r.KeyId);
                default:
                    return SigningKey.FromCertificate(CertificateStore.Find(r.CertificateThumbprint!, _credentialOrigin ?? "-CertificateThumbprint"), r.KeyId);
            }
        }
    }
}
