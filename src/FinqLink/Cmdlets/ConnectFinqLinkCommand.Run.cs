using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading.Tasks;
using FinqLink.Auth;
using FinqLink.Connections;
using FinqLink.Http;
using FinqLink.PowerShell.Infrastructure;
using FinqLink.Profiles;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>Connect-FinqLink's work: the parameters as a request, Core's connection from it, a first call, and the session.</summary>
    public sealed partial class ConnectFinqLinkCommand
    {
        protected override void ProcessRecord()
        {
            if (ParameterSetName == AdoptSet)
            {
                Adopt(Session!);
                return;
            }
            Connection connection;
            try
            {
                connection = new ConnectionBuilder(Request(), ProcessEnvironment(), Resolve, warn: WriteWarning).Build();
            }
            catch (ConnectionProfileException e)
            {
                Fail(ProfileErrors.Record(e, Profile ?? SaveProfile));
                return;
            }
            catch (InvalidCredentialException bad)
            {
                Fail(new ErrorRecord(new ArgumentException(bad.Message, bad.InnerException), "FinqLink.InvalidInput." + bad.Parameter, ErrorCategory.InvalidArgument, bad.Target));
                return;
            }
            catch (Exception e) when (e is ArgumentException || e is FormatException || e is System.IO.IOException
                                      || e is System.Security.Cryptography.CryptographicException || e is InvalidOperationException)
            {
                Fail(new ErrorRecord(e, "FinqLink.InvalidConnection", ErrorCategory.InvalidArgument, null));
                return;
            }

            var session = new FinqLinkSession(new FinqLinkClient(connection.Options), connection.SigningKeyId) { Proxy = connection.Proxy };
            if (SkipCertificateCheck) WriteWarning("SkipCertificateCheck: the server's certificate is not checked. Use this only with a local sandbox.");
            if (!SkipVerification) Verify(session);
            Adopt(session);
            if (connection.ProfileToSave != null) Save(connection.ProfileToSave);
        }

        /// <summary>The parameters as Core's request; PowerShell's own types (a credential, a script block) become plain values.</summary>
        private ConnectionRequest Request()
        {
            var request = new ConnectionRequest
            {
                Kind = Kind(ParameterSetName),
                BaseUri = BaseUri, Environment = Environment, ClientId = Credential?.UserName ?? ClientId,
                ClientSecret = ClientSecret ?? Credential?.Password, PrivateKeyPath = PrivateKeyPath, Certificate = Certificate,
                CertificateThumbprint = CertificateThumbprint, PfxPath = PfxPath, PfxPassword = PfxPassword, OAuthClientSecret = OAuthClientSecret,
                SigningAlgorithm = SigningAlgorithm, AccessToken = AccessToken, AccessTokenExpiresAt = AccessTokenExpiresAt,
                KeyVaultKeyId = KeyVaultKeyId, KeyId = KeyId, TokenEndpoint = TokenEndpoint, Scope = Scope, ClientCertificate = ClientCertificate, ApiVersion = ApiVersion,
                UseTestPath = UseTestPath, SkipCertificateCheck = SkipCertificateCheck, Proxy = Proxy, ProxyCredential = ProxyCredential?.GetNetworkCredential(),
                TimeoutSec = TimeoutSec, MaxRetries = MaxRetries, Profile = Profile, SaveProfile = SaveProfile,
            };
            foreach (var name in MyInvocation.BoundParameters.Keys) request.Given.Add(name);
            if (Signer != null)
            {
                var hook = new ScriptHook(Signer, "-Signer");
                // The hook runs on the pipeline thread of the command that asked for a token; the token request's context leads there.
                request.Signer = (input, context) => HookAnswers.Signature(hook.Invoke(context, input), hook.Parameter);
            }
            if (AccessTokenProvider != null)
            {
                var provider = new ScriptHook(AccessTokenProvider, "-AccessTokenProvider");
                request.AccessTokenProvider = context => HookAnswers.Token(provider.Invoke(context), provider.Parameter);
            }
            return request;
        }

        private static CredentialKind Kind(string set) => set switch
        {
            ClientSecretSet or CredentialSet => CredentialKind.ClientSecret,
            PrivateKeySet => CredentialKind.PrivateKey,
            CertificateSet => CredentialKind.Certificate,
            ThumbprintSet => CredentialKind.CertificateThumbprint,
            PfxSet => CredentialKind.Pfx,
            OAuthSecretSet => CredentialKind.OAuthClientSecret,
            SignerSet => CredentialKind.Signer,
            AccessTokenSet => CredentialKind.AccessToken,
            TokenProviderSet => CredentialKind.AccessTokenProvider,
            KeyVaultSet => CredentialKind.KeyVaultKey,
            ProfileSet => CredentialKind.FromProfile,
            _ => CredentialKind.FromEnvironment,
        };

        /// <summary>The process's environment variables, read once: Core reads FINQLINK_* and a profile's variables from it.</summary>
        private static Dictionary<string, string> ProcessEnvironment()
        {
            var comparer = System.IO.Path.DirectorySeparatorChar == '\\' ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
            var variables = new Dictionary<string, string>(comparer);
            foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
                if (entry.Key is string name && entry.Value is string value) variables[name] = value;
            return variables;
        }

        private string Resolve(string path) => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

        private void Adopt(FinqLinkSession session)
        {
            if (!session.Connected) ThrowTerminatingError(new ErrorRecord(new ArgumentException($"Session: {session} was disconnected."), "FinqLink.NotConnected", ErrorCategory.InvalidArgument, session));
            // The previous session is not disposed: a script may still hold it (-PassThru) and use it with -Session.
            SessionStore.Current = session;
            this.WriteVerboseIfRequested($"Connected to {session.BaseUri} as {session.ClientId} ({session.AuthMethod}).");
            if (PassThru) WriteObject(session);
        }

        /// <summary>One cheap call proves the credentials: a token for OAuth2, a providers/list for test mode.</summary>
        private void Verify(FinqLinkSession session)
        {
            var log = new PipelineQueue(WriteVerbose, WriteDebug, WriteWarning, FinqCmdlet.Requested(this, "Verbose"), false);
            try { log.Await(() => session.Client.Providers.ListAsync(null, new RequestOptions { Log = log }, default), default); }
            catch (FinqLinkApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                // providers/list names no id: a 404 means the address is not the API's.
                var error = ErrorRecords.From(e, null);
                error.ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = "Check -BaseUri (and -ApiVersion, -UseTestPath): the API has no providers/list at " + Redactor.RedactUrl(session.BaseUri) + "." };
                Fail(error);
            }
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
            // A compiled cmdlet's terminating error ends only its own statement, even under -ErrorAction Stop, so a
            // runbook's next command would run without a session. Under -ErrorAction Stop the error goes through
            // WriteError instead, which the engine turns into a stop of the whole script, as users expect.
            if (MyInvocation.BoundParameters.TryGetValue("ErrorAction", out var action) && action is ActionPreference.Stop) WriteError(error);
            ThrowTerminatingError(error);
        }
    }
}
