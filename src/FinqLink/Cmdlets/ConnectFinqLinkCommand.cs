using System;
using System.Management.Automation;
using System.Net;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using FinqLink.Auth;
using FinqLink.Auth.Keys;
using FinqLink.Http;
using FinqLink.PowerShell.Infrastructure;
using FinqLink.Profiles;

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
            AdoptSet = "Session", ProfileSet = "Profile";

        public const string SandboxBaseUri = "https://sandbox-pay.finqware.com";

        private string? _privateKeyText;
        private string? _credentialOrigin;

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

        protected override void ProcessRecord()
        {
            if (ParameterSetName == AdoptSet)
            {
                Adopt(Session!);
                return;
            }
            FinqLinkSession session;
            string set;
            try
            {
                set = ParameterSetName == EnvironmentSet ? ReadEnvironment(new ConnectionEnvironment()) : ParameterSetName == ProfileSet ? ReadProfile() : ParameterSetName;
                _saving = SaveProfile == null ? null : ProfileToSave(set);
                session = CreateSession(set);
            }
            catch (ConnectionProfileException e)
            {
                Fail(ProfileErrors.Record(e, Profile ?? SaveProfile));
                return;
            }
            catch (KeyFormatException bad)
            {
                // The key is the parameter at fault: name it (or the variable it came from), and point at it.
                var parameter = KeyParameter(ParameterSetName == EnvironmentSet || ParameterSetName == ProfileSet ? SetOfEnvironment() : ParameterSetName);
                Fail(new ErrorRecord(new ArgumentException($"{_credentialOrigin ?? "-" + parameter}: {bad.Message}", bad), "FinqLink.InvalidInput." + parameter,
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
            Adopt(session);
            if (_saving != null) Save(_saving);
        }

        private void Adopt(FinqLinkSession session)
        {
            if (!session.Connected) ThrowTerminatingError(new ErrorRecord(new ArgumentException($"Session: {session} was disconnected."), "FinqLink.NotConnected", ErrorCategory.InvalidArgument, session));
            // The previous session is not disposed: a script may still hold it (-PassThru) and use it with -Session.
            SessionStore.Current = session;
            WriteVerbose($"Connected to {session.BaseUri} as {session.ClientId} ({session.AuthMethod}).");
            if (PassThru) WriteObject(session);
        }

        private FinqLinkSession CreateSession(string set)
        {
            var baseUri = ResolveBaseUri();
            var clientId = set == CredentialSet ? Credential!.UserName : ClientId;
            SigningKey? key = null;
            IAuthenticator authenticator;
            switch (set)
            {
                case ClientSecretSet: authenticator = new ClientSecretAuthenticator(new Secret(ClientSecret!)); break;
                case CredentialSet: authenticator = new ClientSecretAuthenticator(new Secret(Credential!.Password)); break;
                case OAuthSecretSet: authenticator = OAuth(baseUri, clientId, new ClientSecretCredential(new Secret(OAuthClientSecret!))); break;
                case SignerSet: authenticator = OAuth(baseUri, clientId, new ExternalSignerCredential(KeyId!, SigningAlgorithm, SignWith(new ScriptHook(Signer!, "-Signer")))); break;
                case AccessTokenSet:
                    var token = new AccessToken(new Secret(AccessToken!), AccessTokenExpiresAt);
                    authenticator = new TokenSourceAuthenticator((_, _) => System.Threading.Tasks.Task.FromResult(token), "AccessToken");
                    break;
                case TokenProviderSet:
                    var provider = new ScriptHook(AccessTokenProvider!, "-AccessTokenProvider");
                    authenticator = new TokenSourceAuthenticator((context, _) => System.Threading.Tasks.Task.FromResult(HookAnswers.Token(provider.Invoke(context), provider.Parameter)), "AccessTokenProvider");
                    break;
                default:
                    key = LoadKey(set);
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
            var proxy = ProxyAddress.From(Proxy, ProxyCredential);
            if (proxy != null) options.Proxy = proxy.Proxy;
            return new FinqLinkSession(new FinqLinkClient(options), key?.KeyId ?? (set == SignerSet ? KeyId : null)) { Proxy = proxy?.Shown };
        }

        private static Func<SigningInput, TokenContext?, byte[]> SignWith(ScriptHook hook) => (input, context) =>
        {
            // The hook runs on the pipeline thread of the command that asked for a token; the token request's context leads there.
            return HookAnswers.Signature(hook.Invoke(context, input), hook.Parameter);
        };

        private Uri ResolveBaseUri()
        {
            if (BaseUri != null && Environment != null) throw new ArgumentException("BaseUri and Environment: give one, not both.");
            if (Environment == "Sandbox") return new Uri(SandboxBaseUri);
            if (BaseUri == null)
                throw new ArgumentException($"BaseUri: required (or -Environment Sandbox for Finqware's sandbox, or $env:{ConnectionEnvironment.BaseUri}).");
            if (!BaseUri.IsAbsoluteUri || (BaseUri.Scheme != "https" && BaseUri.Scheme != "http"))
                throw new ArgumentException($"BaseUri: '{BaseUri}' must be an absolute http or https URL.");
            return BaseUri;
        }

        private OAuthAuthenticator OAuth(Uri baseUri, string clientId, IClientCredential credential) =>
            new OAuthAuthenticator(clientId, TokenEndpoints.Resolve(baseUri, TokenEndpoint), Scope, credential);

        private static string KeyParameter(string set) => set switch
        {
            PfxSet => nameof(PfxPath),
            CertificateSet => nameof(Certificate),
            ThumbprintSet => nameof(CertificateThumbprint),
            _ => nameof(PrivateKeyPath),
        };

        private SigningKey LoadKey(string set)
        {
            switch (set)
            {
                case PrivateKeySet when _privateKeyText != null:
                    return SigningKey.FromText(_privateKeyText, KeyId, "$env:" + ConnectionEnvironment.PrivateKey);
                case PrivateKeySet:
                    return SigningKey.FromFile(Resolve(PrivateKeyPath!), KeyId);
                case CertificateSet:
                    return SigningKey.FromCertificate(Certificate!, KeyId);
                case PfxSet:
                    return SigningKey.FromPfx(Resolve(PfxPath!), PfxPassword, KeyId);
                default:
                    return SigningKey.FromCertificate(CertificateStore.Find(CertificateThumbprint!, _credentialOrigin ?? "-CertificateThumbprint"), KeyId);
            }
        }

        private string Resolve(string path) => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

        private static SecureString Secure(string value)
        {
            var secure = new SecureString();
            foreach (var c in value) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }

        /// <summary>One cheap call proves the credentials: a token for OAuth2, a providers/list for test mode.</summary>
        private void Verify(FinqLinkSession session)
        {
            var log = new PipelineQueue(WriteVerbose, WriteDebug, WriteWarning, FinqCmdlet.Requested(this, "Verbose"), false);
            try { log.Await(() => session.Client.Providers.ListAsync(null, new RequestOptions { Log = log }, default), default); }
            catch (Exception e) when (e is FinqLinkApiException || e is FinqLinkTransportException || e is FinqLinkResponseException || e is FinqLinkCredentialException)
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
                var message = (error.ErrorDetails?.Message ?? error.Exception.Message).TrimEnd();
                if (!message.EndsWith(".", StringComparison.Ordinal)) message += ".";
                error.ErrorDetails = new ErrorDetails(message + " The previous session was disconnected; connect again before running FinqLink commands.")
                {
                    RecommendedAction = error.ErrorDetails?.RecommendedAction,
                };
            }
            Stop(error);
        }
    }
}
