using System;
using System.IO;
using System.Management.Automation;
using FinqLink.Auth;
using FinqLink.PowerShell.Infrastructure;
using FinqLink.Profiles;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>Connect-FinqLink -Profile (connect from a saved profile, parameters given win) and -SaveProfile (save what connected).</summary>
    public sealed partial class ConnectFinqLinkCommand
    {
        private ConnectionProfile? _profile, _saving;

        /// <summary>Connects with a saved profile; parameters given override its values.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ProfileSet)]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string? Profile { get; set; }

        /// <summary>After connecting, saves this connection (without any secret) as a profile of this name.</summary>
        [Parameter(ParameterSetName = EnvironmentSet)]
        [Parameter(ParameterSetName = ClientSecretSet)]
        [Parameter(ParameterSetName = CredentialSet)]
        [Parameter(ParameterSetName = PrivateKeySet)]
        [Parameter(ParameterSetName = CertificateSet)]
        [Parameter(ParameterSetName = ThumbprintSet)]
        [Parameter(ParameterSetName = PfxSet)]
        [Parameter(ParameterSetName = OAuthSecretSet)]
        [Parameter(ParameterSetName = AccessTokenSet)]
        [Parameter(ParameterSetName = ProfileSet)]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string? SaveProfile { get; set; }

        private bool Given(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);

        /// <summary>Sets the parameters from the saved profile under the ones given, and says which credential set they make.</summary>
        private string ReadProfile()
        {
            var saved = new ConnectionProfileStore().Read(Profile!);
            var given = GivenProfile();
            _profile = ConnectionProfileMerge.Overlay(saved, given);
            var p = _profile;
            // The merged profile is the one source: what was given is already in it (a proxy given keeps its credentials).
            BaseUri = p.BaseUri;
            Environment = p.Environment;
            ClientId = p.ClientId ?? throw Unavailable($"Profile '{p.Name}' has no client id: give -ClientId.");
            KeyId = p.KeyId;
            TokenEndpoint = p.TokenEndpoint;
            if (p.Scope != null) Scope = p.Scope;
            if (p.ApiVersion != null) ApiVersion = p.ApiVersion;
            UseTestPath = p.UseTestPath == true;
            SkipCertificateCheck = p.SkipCertificateCheck == true;
            if (!Given(nameof(Proxy))) Proxy = p.Proxy;
            if (p.TimeoutSec is int timeout) TimeoutSec = timeout;
            if (p.MaxRetries is int retries) MaxRetries = retries;
            if (ClientCertificate == null && p.ClientCertificateThumbprint != null)
                ClientCertificate = CertificateStore.Find(p.ClientCertificateThumbprint, $"Profile '{p.Name}' ClientCertificateThumbprint");
            else if (ClientCertificate == null && p.ClientCertificatePath != null)
                ClientCertificate = ClientCertificateFile.Load(ExistingFile(p, p.ClientCertificatePath, "ClientCertificatePath"),
                    p.ClientCertificatePasswordVariable == null ? null : Variable(p, p.ClientCertificatePasswordVariable, "the client certificate's password"),
                    $"Profile '{p.Name}' ClientCertificatePath", p.ClientCertificatePasswordVariable == null ? "no password" : "$env:" + p.ClientCertificatePasswordVariable);

            if (given.Credential == null) _credentialOrigin = $"Profile '{p.Name}' {(p.Credential == ProfileCredential.PrivateKey ? "$env:" + p.SecretVariable : p.Credential.ToString())}";
            switch (p.Credential)
            {
                case ProfileCredential.PrivateKeyPath: PrivateKeyPath = ExistingFile(p, p.PrivateKeyPath!, "PrivateKeyPath"); return PrivateKeySet;
                case ProfileCredential.PrivateKey: _privateKeyText = Variable(p, p.SecretVariable!, "the private key"); return PrivateKeySet;
                case ProfileCredential.CertificateThumbprint: CertificateThumbprint = p.CertificateThumbprint; return ThumbprintSet;
                case ProfileCredential.Pfx:
                    PfxPath = ExistingFile(p, p.PfxPath!, "PfxPath");
                    if (PfxPassword == null && p.SecretVariable != null) PfxPassword = Secure(Variable(p, p.SecretVariable, "the PFX password"));
                    return PfxSet;
                case ProfileCredential.ClientSecret:
                    ClientSecret ??= Secure(SecretOf(p, nameof(ClientSecret)));
                    return ClientSecretSet;
                case ProfileCredential.OAuthClientSecret:
                    OAuthClientSecret ??= Secure(SecretOf(p, nameof(OAuthClientSecret)));
                    return OAuthSecretSet;
                case ProfileCredential.AccessToken: AccessToken = Secure(Variable(p, p.SecretVariable!, "the access token")); return AccessTokenSet;
                default:
                    throw Unavailable($"Profile '{p.Name}' names no credential: give one (-PrivateKeyPath, -CertificateThumbprint, -PfxPath, -ClientSecret or -OAuthClientSecret).");
            }
        }

        /// <summary>What was typed with -Profile, as a profile to lay over the saved one.</summary>
        private ConnectionProfile GivenProfile() => new ConnectionProfile
        {
            BaseUri = BaseUri,
            Environment = Environment,
            ClientId = Given(nameof(ClientId)) ? ClientId : null,
            Credential = PrivateKeyPath != null ? ProfileCredential.PrivateKeyPath : CertificateThumbprint != null ? ProfileCredential.CertificateThumbprint
                : PfxPath != null ? ProfileCredential.Pfx : ClientSecret != null ? ProfileCredential.ClientSecret
                : OAuthClientSecret != null ? ProfileCredential.OAuthClientSecret : (ProfileCredential?)null,
            PrivateKeyPath = PrivateKeyPath == null ? null : Resolve(PrivateKeyPath),
            CertificateThumbprint = CertificateThumbprint,
            PfxPath = PfxPath == null ? null : Resolve(PfxPath),
            KeyId = KeyId,
            TokenEndpoint = TokenEndpoint,
            Scope = Given(nameof(Scope)) ? Scope : null,
            ApiVersion = Given(nameof(ApiVersion)) ? ApiVersion : null,
            UseTestPath = Given(nameof(UseTestPath)) ? UseTestPath.IsPresent : (bool?)null,
            SkipCertificateCheck = Given(nameof(SkipCertificateCheck)) ? SkipCertificateCheck.IsPresent : (bool?)null,
            Proxy = ShownProxy(),
            ClientCertificateThumbprint = ClientCertificate?.Thumbprint,
            TimeoutSec = Given(nameof(TimeoutSec)) ? TimeoutSec : (int?)null,
            MaxRetries = Given(nameof(MaxRetries)) ? MaxRetries : (int?)null,
        };

        private Uri? ShownProxy() => Proxy == null ? null : ProxyAddress.From(Proxy, null)!.Shown;

        private static string ExistingFile(ConnectionProfile p, string path, string field) =>
            File.Exists(path) ? path
            : throw Unavailable($"Profile '{p.Name}': its {field} {path} is gone. Put the file back, or save the profile with the new one: Connect-FinqLink -Profile {p.Name} -{(field == "ClientCertificatePath" ? "ClientCertificate" : field)} <new> -SaveProfile {p.Name}.");

        private static string Variable(ConnectionProfile p, string variable, string what) =>
            new ConnectionEnvironment().Get(variable)
            ?? throw Unavailable($"Profile '{p.Name}' reads {what} from $env:{variable}, which is not set.");

        private static string SecretOf(ConnectionProfile p, string parameter) =>
            p.SecretVariable != null ? Variable(p, p.SecretVariable, "the client secret")
            : throw Unavailable($"Profile '{p.Name}' keeps no secret: pass it with -{parameter} (Read-Host -AsSecureString, or from your vault).");

        private static ConnectionProfileException Unavailable(string message) => new ConnectionProfileException(ConnectionProfileError.Unavailable, message);
    }
}
