using System;
using System.Management.Automation;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using FinqLink.Auth;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>
    /// Connects to FinqLink and makes the session the runspace's default: with credentials as parameters, from
    /// FINQLINK_* environment variables when none is given, with a signer or a token of the caller's, or by adopting a
    /// session made elsewhere (another runspace's, passed with $using:).
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "FinqLink", DefaultParameterSetName = EnvironmentSet)]
    [OutputType(typeof(FinqLinkSession))]
    public sealed partial class ConnectFinqLinkCommand : PSCmdlet
    {
        private const string EnvironmentSet = "FromEnvironment", ClientSecretSet = "ClientSecret", CredentialSet = "Credential",
            PrivateKeySet = "PrivateKeyFile", CertificateSet = "Certificate", ThumbprintSet = "CertificateThumbprint", PfxSet = "Pfx",
            OAuthSecretSet = "OAuthClientSecret", SignerSet = "Signer", AccessTokenSet = "AccessToken", TokenProviderSet = "AccessTokenProvider",
            AdoptSet = "Session", ProfileSet = "Profile", KeyVaultSet = "KeyVaultKey";

        // Not from the pipeline in the environment set: the first binding pass would keep a piped sandbox's BaseUri there.
        [Parameter(Position = 0, ParameterSetName = EnvironmentSet)]
        [Parameter(Position = 0, ParameterSetName = ClientSecretSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(Position = 0, ParameterSetName = CredentialSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(Position = 0, ParameterSetName = PrivateKeySet, ValueFromPipelineByPropertyName = true)]
        [Parameter(Position = 0, ParameterSetName = CertificateSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(Position = 0, ParameterSetName = ThumbprintSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(Position = 0, ParameterSetName = PfxSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(Position = 0, ParameterSetName = OAuthSecretSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(Position = 0, ParameterSetName = SignerSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(Position = 0, ParameterSetName = AccessTokenSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(Position = 0, ParameterSetName = TokenProviderSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(Position = 0, ParameterSetName = KeyVaultSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ProfileSet)]
        [ValidateNotNull]
        public Uri? BaseUri { get; set; }

        [Parameter]
        [ValidateSet("Sandbox")]
        public string? Environment { get; set; }

        // Not from the pipeline in the environment set: a piped sandbox (BaseUri, ClientId, ClientSecret) must select the ClientSecret set.
        [Parameter(ParameterSetName = EnvironmentSet)]
        [Parameter(Mandatory = true, ParameterSetName = ClientSecretSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(Mandatory = true, ParameterSetName = PrivateKeySet, ValueFromPipelineByPropertyName = true)]
        [Parameter(Mandatory = true, ParameterSetName = CertificateSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(Mandatory = true, ParameterSetName = ThumbprintSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(Mandatory = true, ParameterSetName = PfxSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(Mandatory = true, ParameterSetName = OAuthSecretSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(Mandatory = true, ParameterSetName = SignerSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(Mandatory = true, ParameterSetName = AccessTokenSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(Mandatory = true, ParameterSetName = TokenProviderSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(Mandatory = true, ParameterSetName = KeyVaultSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ProfileSet)]
        [ValidateLength(1, 128)]
        public string ClientId { get; set; } = "";

        /// <summary>Test mode: the client secret sent in every request body.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ClientSecretSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = ProfileSet)]
        public SecureString? ClientSecret { get; set; }

        /// <summary>Test mode with a PSCredential: the user name is the client id, the password the client secret.</summary>
        [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
        [Credential]
        public PSCredential? Credential { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = PrivateKeySet)]
        [Parameter(ParameterSetName = ProfileSet)]
        [ValidateNotNullOrEmpty]
        public string? PrivateKeyPath { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = CertificateSet)]
        public X509Certificate2? Certificate { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ThumbprintSet)]
        [Parameter(ParameterSetName = ProfileSet)]
        [ValidatePattern("^[0-9A-Fa-f]{40}$")]
        public string? CertificateThumbprint { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = PfxSet)]
        [Parameter(ParameterSetName = ProfileSet)]
        [ValidateNotNullOrEmpty]
        public string? PfxPath { get; set; }

        [Parameter(ParameterSetName = PfxSet)]
        [Parameter(ParameterSetName = ProfileSet)]
        public SecureString? PfxPassword { get; set; }

        /// <summary>OAuth2 with the client secret (RFC 6749) instead of a private key.</summary>
        [Parameter(Mandatory = true, ParameterSetName = OAuthSecretSet)]
        [Parameter(ParameterSetName = ProfileSet)]
        public SecureString? OAuthClientSecret { get; set; }

        /// <summary>Signs the client assertion where the key lives (Key Vault, an HSM): gets the signing input, outputs the signature bytes.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SignerSet)]
        public ScriptBlock? Signer { get; set; }

        [Parameter(ParameterSetName = SignerSet)]
        [Parameter(ParameterSetName = KeyVaultSet)]
        [ValidateSet("RS256", "ES256")]
        public string SigningAlgorithm { get; set; } = "RS256";

        /// <summary>A Bearer token obtained elsewhere. It is used until it expires or the API refuses it.</summary>
        [Parameter(Mandatory = true, ParameterSetName = AccessTokenSet)]
        public SecureString? AccessToken { get; set; }

        /// <summary>When -AccessToken stops being valid, if known.</summary>
        [Parameter(ParameterSetName = AccessTokenSet)]
        public DateTimeOffset? AccessTokenExpiresAt { get; set; }

        /// <summary>Outputs a Bearer token when asked (Get-AzAccessToken's output works); asked again before it expires.</summary>
        [Parameter(Mandatory = true, ParameterSetName = TokenProviderSet)]
        public ScriptBlock? AccessTokenProvider { get; set; }

        [Parameter(ParameterSetName = EnvironmentSet)]
        [Parameter(ParameterSetName = PrivateKeySet)]
        [Parameter(ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = ThumbprintSet)]
        [Parameter(ParameterSetName = PfxSet)]
        [Parameter(Mandatory = true, ParameterSetName = SignerSet)]
        [Parameter(ParameterSetName = KeyVaultSet)]
        [Parameter(ParameterSetName = ProfileSet)]
        [ValidateLength(1, 256)]
        public string? KeyId { get; set; }

        [Parameter(ParameterSetName = EnvironmentSet)]
        [Parameter(ParameterSetName = PrivateKeySet)]
        [Parameter(ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = ThumbprintSet)]
        [Parameter(ParameterSetName = PfxSet)]
        [Parameter(ParameterSetName = OAuthSecretSet)]
        [Parameter(ParameterSetName = SignerSet)]
        [Parameter(ParameterSetName = KeyVaultSet)]
        [Parameter(ParameterSetName = ProfileSet)]
        // Not from the pipeline: a sandbox piped in connects in test mode, and its token endpoint would pick an OAuth set.
        public Uri? TokenEndpoint { get; set; }

        [Parameter(ParameterSetName = EnvironmentSet)]
        [Parameter(ParameterSetName = PrivateKeySet)]
        [Parameter(ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = ThumbprintSet)]
        [Parameter(ParameterSetName = PfxSet)]
        [Parameter(ParameterSetName = OAuthSecretSet)]
        [Parameter(ParameterSetName = SignerSet)]
        [Parameter(ParameterSetName = KeyVaultSet)]
        [Parameter(ParameterSetName = ProfileSet)]
        [ValidateNotNullOrEmpty]
        public string Scope { get; set; } = OAuthAuthenticator.DefaultScope;

        /// <summary>Makes a session made elsewhere (Connect-FinqLink -PassThru, passed with $using:) this runspace's default.</summary>
        [Parameter(Mandatory = true, ParameterSetName = AdoptSet)]
        public FinqLinkSession? Session { get; set; }

        /// <summary>mTLS: the client certificate presented to the API and the token endpoint.</summary>
        [Parameter]
        public X509Certificate2? ClientCertificate { get; set; }

        [Parameter]
        [ValidateSet("v1", "v2")]
        public string ApiVersion { get; set; } = "v2";

        /// <summary>Sends requests through FinqLink's /test path (test credentials).</summary>
        [Parameter]
        public SwitchParameter UseTestPath { get; set; }

        /// <summary>Accepts any server certificate (like Invoke-RestMethod's): for a local sandbox with a throwaway certificate only.</summary>
        [Parameter]
        public SwitchParameter SkipCertificateCheck { get; set; }

        [Parameter]
        public Uri? Proxy { get; set; }

        [Parameter]
        [Credential]
        public PSCredential? ProxyCredential { get; set; }

        [Parameter]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; } = 100;

        [Parameter]
        [ValidateRange(0, 10)]
        public int MaxRetries { get; set; } = 4;

        /// <summary>Connect without a first call that proves the credentials work.</summary>
        [Parameter]
        public SwitchParameter SkipVerification { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }
    }
}
