using System;
using System.Management.Automation;
using System.Net;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using FinqLink.Auth;
using FinqLink.Auth.Keys;
using FinqLink.Http;
using FinqLink.PowerShell.Infrastructure;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>Connects to FinqLink and makes the session the runspace's default.</summary>
    [Cmdlet(VerbsCommunications.Connect, "FinqLink", DefaultParameterSetName = ClientSecretSet)]
    [OutputType(typeof(FinqLinkSession))]
    public sealed class ConnectFinqLinkCommand : PSCmdlet
    {
        private const string ClientSecretSet = "ClientSecret", CredentialSet = "Credential", PrivateKeySet = "PrivateKeyFile",
            CertificateSet = "Certificate", ThumbprintSet = "CertificateThumbprint", PfxSet = "Pfx", OAuthSecretSet = "OAuthClientSecret";

        public const string SandboxBaseUri = "https://sandbox-pay.finqware.com";

        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNull]
        public Uri? BaseUri { get; set; }

        [Parameter]
        [ValidateSet("Sandbox")]
        public string? Environment { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ClientSecretSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(Mandatory = true, ParameterSetName = PrivateKeySet, ValueFromPipelineByPropertyName = true)]
        [Parameter(Mandatory = true, ParameterSetName = CertificateSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(Mandatory = true, ParameterSetName = ThumbprintSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(Mandatory = true, ParameterSetName = PfxSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(Mandatory = true, ParameterSetName = OAuthSecretSet, ValueFromPipelineByPropertyName = true)]
        [ValidateLength(1, 128)]
        public string ClientId { get; set; } = "";

        /// <summary>Test mode: the client secret sent in every request body.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ClientSecretSet, ValueFromPipelineByPropertyName = true)]
        public SecureString? ClientSecret { get; set; }

        /// <summary>Test mode with a PSCredential: the user name is the client id, the password the client secret.</summary>
        [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
        [Credential]
        public PSCredential? Credential { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = PrivateKeySet)]
        [ValidateNotNullOrEmpty]
        public string? PrivateKeyPath { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = CertificateSet)]
        public X509Certificate2? Certificate { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ThumbprintSet)]
        [ValidatePattern("^[0-9A-Fa-f]{40}$")]
        public string? CertificateThumbprint { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = PfxSet)]
        [ValidateNotNullOrEmpty]
        public string? PfxPath { get; set; }

        [Parameter(ParameterSetName = PfxSet)]
        public SecureString? PfxPassword { get; set; }

        /// <summary>OAuth2 with the client secret (RFC 6749) instead of a private key.</summary>
        [Parameter(Mandatory = true, ParameterSetName = OAuthSecretSet)]
        public SecureString? OAuthClientSecret { get; set; }

        [Parameter(ParameterSetName = PrivateKeySet)]
        [Parameter(ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = ThumbprintSet)]
        [Parameter(ParameterSetName = PfxSet)]
        [ValidateLength(1, 256)]
        public string? KeyId { get; set; }

        [Parameter(ParameterSetName = PrivateKeySet)]
        [Parameter(ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = ThumbprintSet)]
        [Parameter(ParameterSetName = PfxSet)]
        [Parameter(ParameterSetName = OAuthSecretSet)]
        // Not from the pipeline: a sandbox piped in connects in test mode, and its token endpoint would pick an OAuth set.
        public Uri? TokenEndpoint { get; set; }

        [Parameter(ParameterSetName = PrivateKeySet)]
        [Parameter(ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = ThumbprintSet)]
        [Parameter(ParameterSetName = PfxSet)]
        [Parameter(ParameterSetName = OAuthSecretSet)]
        [ValidateNotNullOrEmpty]
        public string Scope { get; set; } = OAuthAuthenticator.DefaultScope;

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

        protected override void ProcessRecord()
        {
            FinqLinkSession session;
            try { session = CreateSession(); }
            catch (KeyFormatException bad)
            {
                // The key file (or certificate) is the parameter at fault: name it, and point at the file.
                Fail(new ErrorRecord(new ArgumentException($"-{KeyParameter}: {bad.Message}", bad), "FinqLink.InvalidInput." + KeyParameter,
                    ErrorCategory.InvalidArgument, (object?)PrivateKeyPath ?? (object?)PfxPath ?? Certificate ?? (object?)CertificateThumbprint));
                return;
            }
            catch (Exception e) when (e is ArgumentException || e is FormatException || e is System.IO.IOException
                                      || e is System.Security.Cryptography.CryptographicException || e is InvalidOperationException)
            {
                Fail(new ErrorRecord(e, "FinqLink.InvalidConnection", ErrorCategory.InvalidArgument, null));
                return;
            }

            if (SkipCertificateCheck) WriteWarning("SkipCertificateCheck: the server's certificate is not checked. Use this only with a local sandbox.");
            if (!SkipVerification) Verify(session);
            // The previous session is not disposed: a script may still hold it (-PassThru) and use it with -Session.
            SessionStore.Current = session;
            WriteVerbose($"Connected to {session.BaseUri} as {session.ClientId} ({session.AuthMethod}).");
            if (PassThru) WriteObject(session);
        }

        private FinqLinkSession CreateSession()
        {
            var baseUri = ResolveBaseUri();
            var clientId = ParameterSetName == CredentialSet ? Credential!.UserName : ClientId;
            SigningKey? key = null;
            IAuthenticator authenticator;
            switch (ParameterSetName)
            {
                case ClientSecretSet: authenticator = new ClientSecretAuthenticator(new Secret(ClientSecret!)); break;
                case CredentialSet: authenticator = new ClientSecretAuthenticator(new Secret(Credential!.Password)); break;
                case OAuthSecretSet: authenticator = OAuth(baseUri, clientId, new ClientSecretCredential(new Secret(OAuthClientSecret!))); break;
                default:
                    key = LoadKey();
                    authenticator = OAuth(baseUri, clientId, new PrivateKeyJwtCredential(key));
                    break;
            }
            var options = new FinqLinkClientOptions(new ApiPaths(baseUri, ApiVersion, UseTestPath), clientId, authenticator)
            {
                ClientCertificate = ClientCertificate,
                SkipCertificateCheck = SkipCertificateCheck,
                Timeout = TimeSpan.FromSeconds(TimeoutSec),
                Retry = new RetryPolicy { MaxRetries = MaxRetries },
            };
            if (Proxy != null)
                options.Proxy = new WebProxy(Proxy) { Credentials = ProxyCredential?.GetNetworkCredential() };
            return new FinqLinkSession(new FinqLinkClient(options), key) { Proxy = Proxy };
        }

        private Uri ResolveBaseUri()
        {
            if (BaseUri != null && Environment != null) throw new ArgumentException("BaseUri and Environment: give one, not both.");
            if (Environment == "Sandbox") return new Uri(SandboxBaseUri);
            if (BaseUri == null) throw new ArgumentException("BaseUri: required (or -Environment Sandbox for Finqware's sandbox).");
            if (!BaseUri.IsAbsoluteUri || (BaseUri.Scheme != "https" && BaseUri.Scheme != "http"))
                throw new ArgumentException($"BaseUri: '{BaseUri}' must be an absolute http or https URL.");
            return BaseUri;
        }

        private OAuthAuthenticator OAuth(Uri baseUri, string clientId, IClientCredential credential) =>
            new OAuthAuthenticator(clientId, TokenEndpoints.Resolve(baseUri, TokenEndpoint), Scope, credential);

        private string KeyParameter => ParameterSetName switch
        {
            PfxSet => nameof(PfxPath),
            CertificateSet => nameof(Certificate),
            ThumbprintSet => nameof(CertificateThumbprint),
            _ => nameof(PrivateKeyPath),
        };

        private SigningKey LoadKey()
        {
            switch (ParameterSetName)
            {
                case PrivateKeySet:
                    return SigningKey.FromFile(SessionState.Path.GetUnresolvedProviderPathFromPSPath(PrivateKeyPath), KeyId);
                case CertificateSet:
                    return SigningKey.FromCertificate(Certificate!, KeyId);
                case PfxSet:
                    return SigningKey.FromPfx(SessionState.Path.GetUnresolvedProviderPathFromPSPath(PfxPath), PfxPassword, KeyId);
                default:
                    return SigningKey.FromCertificate(FindByThumbprint(CertificateThumbprint!), KeyId);
            }
        }

        private static X509Certificate2 FindByThumbprint(string thumbprint)
        {
            foreach (var location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
            {
                using var store = new X509Store(StoreName.My, location);
                try { store.Open(OpenFlags.ReadOnly); }
                catch (System.Security.Cryptography.CryptographicException) { continue; }
                var found = store.Certificates.Find(X509FindType.FindByThumbprint, thumbprint, validOnly: false);
                if (found.Count > 0) return found[0];
            }
            throw new ArgumentException($"CertificateThumbprint: no certificate {thumbprint} in the CurrentUser or LocalMachine 'My' store.");
        }

        /// <summary>One cheap call proves the credentials: a token for OAuth2, a providers/list for test mode.</summary>
        private void Verify(FinqLinkSession session)
        {
            var log = new PipelineQueue(WriteVerbose, WriteDebug, false);
            try { log.Await(() => session.Client.Providers.ListAsync(null, new RequestOptions { Log = log }, default), default); }
            catch (Exception e) when (e is FinqLinkApiException || e is FinqLinkTransportException || e is FinqLinkResponseException)
            {
                Fail(ErrorRecords.From(e, null));
            }
        }

        /// <summary>A connection that failed leaves no session behind: commands must not quietly run on an older one.</summary>
        private void Fail(ErrorRecord error)
        {
            if (SessionStore.Current != null)
            {
                SessionStore.Current = null;
                error.ErrorDetails = new ErrorDetails(error.Exception.Message + " The previous session was disconnected; connect again before running FinqLink commands.");
            }
            ThrowTerminatingError(error);
        }
    }
}
