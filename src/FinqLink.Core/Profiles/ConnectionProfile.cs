using System;
using System.Text.Json.Serialization;

namespace FinqLink.Profiles
{
    /// <summary>
    /// Where a saved connection's credential comes from. Each names something that is not secret (a file, a certificate
    /// store entry) or the environment variable that holds the secret; the secret itself is never in a profile.
    /// </summary>
    [JsonConverter(typeof(JsonStringEnumConverter))]
    public enum ProfileCredential
    {
        /// <summary>A PEM or JWK key file (<see cref="ConnectionProfile.PrivateKeyPath"/>).</summary>
        PrivateKeyPath,

        /// <summary>The key's PEM or JWK text, from the variable <see cref="ConnectionProfile.SecretVariable"/>.</summary>
        PrivateKey,

        /// <summary>A certificate with its key in the CurrentUser or LocalMachine 'My' store.</summary>
        CertificateThumbprint,

        /// <summary>A PFX file; its password from <see cref="ConnectionProfile.SecretVariable"/>, from -PfxPassword, or none.</summary>
        Pfx,

        /// <summary>Test mode: the client secret from <see cref="ConnectionProfile.SecretVariable"/> or -ClientSecret.</summary>
        ClientSecret,

        /// <summary>OAuth2 with the client secret from <see cref="ConnectionProfile.SecretVariable"/> or -OAuthClientSecret.</summary>
        OAuthClientSecret,

        /// <summary>A Bearer token from the variable <see cref="ConnectionProfile.SecretVariable"/>.</summary>
        AccessToken,

        /// <summary>A key in Azure Key Vault (<see cref="ConnectionProfile.KeyVaultKeyId"/>): its identifier, never a secret.</summary>
        KeyVaultKey,
    }

    /// <summary>
    /// A named connection, saved so that a new session reconnects with one word. It has no field that can hold a secret:
    /// secrets are named by the environment variable they are read from, or passed when connecting.
    /// </summary>
    public sealed class ConnectionProfile
    {
        public string Name { get; set; } = "";
        public Uri? BaseUri { get; set; }

        /// <summary>A named environment instead of a base URI (Sandbox: Finqware's sandbox).</summary>
        public string? Environment { get; set; }

        public string? ClientId { get; set; }
        public ProfileCredential? Credential { get; set; }
        public string? PrivateKeyPath { get; set; }
        public string? CertificateThumbprint { get; set; }
        public string? PfxPath { get; set; }

        /// <summary>The Key Vault key that signs the assertions (https://&lt;vault&gt;/keys/&lt;name&gt;[/&lt;version&gt;]).</summary>
        public Uri? KeyVaultKeyId { get; set; }

        /// <summary>ES256 for an EC key in Key Vault; none means RS256.</summary>
        public string? SigningAlgorithm { get; set; }

        /// <summary>The environment variable holding the credential's secret part; none means the caller passes it.</summary>
        public string? SecretVariable { get; set; }

        public string? KeyId { get; set; }
        public Uri? TokenEndpoint { get; set; }
        public string? Scope { get; set; }
        public string? ApiVersion { get; set; }
        public bool? UseTestPath { get; set; }
        public bool? SkipCertificateCheck { get; set; }

        /// <summary>The proxy's address without credentials (a proxy's user and password are never saved).</summary>
        public Uri? Proxy { get; set; }

        /// <summary>mTLS: the client certificate, by store thumbprint or as a PFX file (its password from a variable).</summary>
        public string? ClientCertificateThumbprint { get; set; }

        public string? ClientCertificatePath { get; set; }
        public string? ClientCertificatePasswordVariable { get; set; }
        public int? TimeoutSec { get; set; }
        public int? MaxRetries { get; set; }
        public DateTimeOffset? SavedAt { get; set; }

        /// <summary>The file it was read from (not saved in it).</summary>
        [JsonIgnore]
        public string? Path { get; internal set; }

        public override string ToString() => Name;

        internal ConnectionProfile Copy() => (ConnectionProfile)MemberwiseClone();
    }
}
