using System;
using System.Collections.Generic;
using System.Net;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using FinqLink.Auth;

namespace FinqLink.Connections
{
    /// <summary>
    /// What a caller asks a connection to be: Connect-FinqLink's parameters, without PowerShell's types. Values left
    /// unset come from the environment or a profile when <see cref="Kind"/> says so; <see cref="Given"/> tells a value
    /// given from a default, for the rules where that matters (a value given wins over a variable or a saved one).
    /// </summary>
    public sealed class ConnectionRequest
    {
        public const string DefaultApiVersion = "v2", DefaultAlgorithm = "RS256";
        public const int DefaultTimeoutSec = 100, DefaultMaxRetries = 4;

        public CredentialKind Kind { get; set; }

        /// <summary>The names of the parameters given (as Connect-FinqLink spells them).</summary>
        public ISet<string> Given { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        public Uri? BaseUri { get; set; }

        /// <summary>A named environment instead of a base URI (Sandbox: Finqware's sandbox).</summary>
        public string? Environment { get; set; }

        public string ClientId { get; set; } = "";
        public SecureString? ClientSecret { get; set; }
        public string? PrivateKeyPath { get; set; }
        public X509Certificate2? Certificate { get; set; }
        public string? CertificateThumbprint { get; set; }
        public string? PfxPath { get; set; }
        public SecureString? PfxPassword { get; set; }
        public SecureString? OAuthClientSecret { get; set; }

        /// <summary>Signs the assertion where the key lives: gets the signing input, answers the signature bytes.</summary>
        public Func<SigningInput, TokenContext?, byte[]>? Signer { get; set; }

        public string SigningAlgorithm { get; set; } = DefaultAlgorithm;
        public SecureString? AccessToken { get; set; }
        public DateTimeOffset? AccessTokenExpiresAt { get; set; }

        /// <summary>Answers a Bearer token when asked; asked again before it expires.</summary>
        public Func<TokenContext, AccessToken>? AccessTokenProvider { get; set; }

        /// <summary>A key in Azure Key Vault that signs the assertions: https://&lt;vault&gt;.vault.azure.net/keys/&lt;name&gt;[/&lt;version&gt;].</summary>
        public Uri? KeyVaultKeyId { get; set; }

        public string? KeyId { get; set; }
        public Uri? TokenEndpoint { get; set; }
        public string Scope { get; set; } = OAuthAuthenticator.DefaultScope;
        public X509Certificate2? ClientCertificate { get; set; }
        public string ApiVersion { get; set; } = DefaultApiVersion;
        public bool UseTestPath { get; set; }
        public bool SkipCertificateCheck { get; set; }
        public Uri? Proxy { get; set; }
        public NetworkCredential? ProxyCredential { get; set; }
        public int TimeoutSec { get; set; } = DefaultTimeoutSec;
        public int MaxRetries { get; set; } = DefaultMaxRetries;

        /// <summary>The profile to connect with (<see cref="CredentialKind.FromProfile"/>).</summary>
        public string? Profile { get; set; }

        /// <summary>The name to save this connection under, once it connected.</summary>
        public string? SaveProfile { get; set; }

        /// <summary>The key's PEM or JWK text, read from a variable (never a parameter: a key is not typed).</summary>
        internal string? PrivateKeyText { get; set; }

        internal bool IsGiven(string parameter) => Given.Contains(parameter);
    }
}
