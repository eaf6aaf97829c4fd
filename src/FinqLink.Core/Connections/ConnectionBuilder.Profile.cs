using System;
using System.IO;
using FinqLink.Profiles;

namespace FinqLink.Connections
{
    /// <summary>A request with a profile: the saved connection under the values given (what is given wins).</summary>
    public sealed partial class ConnectionBuilder
    {
        private ConnectionProfile? _profile;

        /// <summary>Fills the request from the saved profile under the values given, and says which credential they make.</summary>
        private CredentialKind ReadProfile()
        {
            var r = _request;
            var saved = Profiles.Read(r.Profile!);
            var given = GivenProfile();
            _profile = ConnectionProfileMerge.Overlay(saved, given);
            var p = _profile;
            // The merged profile is the one source: what was given is already in it (a proxy given keeps its credentials).
            r.BaseUri = p.BaseUri;
            r.Environment = p.Environment;
            r.ClientId = p.ClientId ?? throw Unavailable($"Profile '{p.Name}' has no client id: give -ClientId.");
            r.KeyId = p.KeyId;
            r.TokenEndpoint = p.TokenEndpoint;
            if (p.Scope != null) r.Scope = p.Scope;
            if (p.ApiVersion != null) r.ApiVersion = p.ApiVersion;
            r.UseTestPath = p.UseTestPath == true;
            r.SkipCertificateCheck = p.SkipCertificateCheck == true;
            if (!r.IsGiven(nameof(r.Proxy))) r.Proxy = p.Proxy;
            if (p.TimeoutSec is int timeout) r.TimeoutSec = timeout;
            if (p.MaxRetries is int retries) r.MaxRetries = retries;
            if (r.ClientCertificate == null && p.ClientCertificateThumbprint != null)
                r.ClientCertificate = CertificateStore.Find(p.ClientCertificateThumbprint, $"Profile '{p.Name}' ClientCertificateThumbprint");
            else if (r.ClientCertificate == null && p.ClientCertificatePath != null)
                r.ClientCertificate = ClientCertificateFile.Load(ExistingFile(p, p.ClientCertificatePath, "ClientCertificatePath"),
                    p.ClientCertificatePasswordVariable == null ? null : Variable(p, p.ClientCertificatePasswordVariable, "the client certificate's password"),
                    $"Profile '{p.Name}' ClientCertificatePath", p.ClientCertificatePasswordVariable == null ? "no password" : "$env:" + p.ClientCertificatePasswordVariable);

            if (given.Credential == null) _credentialOrigin = $"Profile '{p.Name}' {(p.Credential == ProfileCredential.PrivateKey ? "$env:" + p.SecretVariable : p.Credential.ToString())}";
            switch (p.Credential)
            {
                case ProfileCredential.PrivateKeyPath: r.PrivateKeyPath = ExistingFile(p, p.PrivateKeyPath!, "PrivateKeyPath"); return CredentialKind.PrivateKey;
                case ProfileCredential.PrivateKey: r.PrivateKeyText = Variable(p, p.SecretVariable!, "the private key"); return CredentialKind.PrivateKey;
                case ProfileCredential.CertificateThumbprint: r.CertificateThumbprint = p.CertificateThumbprint; return CredentialKind.CertificateThumbprint;
                case ProfileCredential.Pfx:
                    r.PfxPath = ExistingFile(p, p.PfxPath!, "PfxPath");
                    if (r.PfxPassword == null && p.SecretVariable != null) r.PfxPassword = Secure(Variable(p, p.SecretVariable, "the PFX password"));
                    return CredentialKind.Pfx;
                case ProfileCredential.ClientSecret:
                    r.ClientSecret ??= Secure(SecretOf(p, nameof(r.ClientSecret)));
                    return CredentialKind.ClientSecret;
                case ProfileCredential.OAuthClientSecret:
                    r.OAuthClientSecret ??= Secure(SecretOf(p, nameof(r.OAuthClientSecret)));
                    return CredentialKind.OAuthClientSecret;
                case ProfileCredential.KeyVaultKey:
                    r.KeyVaultKeyId = p.KeyVaultKeyId;
                    r.SigningAlgorithm = p.SigningAlgorithm ?? ConnectionRequest.DefaultAlgorithm;
                    return CredentialKind.KeyVaultKey;
                case ProfileCredential.AccessToken: r.AccessToken = Secure(Variable(p, p.SecretVariable!, "the access token")); return CredentialKind.AccessToken;
                default:
                    throw Unavailable($"Profile '{p.Name}' names no credential: give one (-PrivateKeyPath, -CertificateThumbprint, -PfxPath, -KeyVaultKeyId, -ClientSecret or -OAuthClientSecret).");
            }
        }

        /// <summary>What was given with the profile, as a profile to lay over the saved one.</summary>
        private ConnectionProfile GivenProfile()
        {
            var r = _request;
            return new ConnectionProfile
            {
                BaseUri = r.BaseUri,
                Environment = r.Environment,
                ClientId = r.IsGiven(nameof(r.ClientId)) ? r.ClientId : null,
                Credential = r.PrivateKeyPath != null ? ProfileCredential.PrivateKeyPath : r.CertificateThumbprint != null ? ProfileCredential.CertificateThumbprint
                    : r.PfxPath != null ? ProfileCredential.Pfx : r.ClientSecret != null ? ProfileCredential.ClientSecret
                    : r.OAuthClientSecret != null ? ProfileCredential.OAuthClientSecret : r.KeyVaultKeyId != null ? ProfileCredential.KeyVaultKey : (ProfileCredential?)null,
                KeyVaultKeyId = r.KeyVaultKeyId,
                SigningAlgorithm = r.KeyVaultKeyId != null && r.SigningAlgorithm != ConnectionRequest.DefaultAlgorithm ? r.SigningAlgorithm : null,
                PrivateKeyPath = r.PrivateKeyPath == null ? null : _resolvePath(r.PrivateKeyPath),
                CertificateThumbprint = r.CertificateThumbprint,
                PfxPath = r.PfxPath == null ? null : _resolvePath(r.PfxPath),
                KeyId = r.KeyId,
                TokenEndpoint = r.TokenEndpoint,
                Scope = r.IsGiven(nameof(r.Scope)) ? r.Scope : null,
                ApiVersion = r.IsGiven(nameof(r.ApiVersion)) ? r.ApiVersion : null,
                UseTestPath = r.IsGiven(nameof(r.UseTestPath)) ? r.UseTestPath : (bool?)null,
                SkipCertificateCheck = r.IsGiven(nameof(r.SkipCertificateCheck)) ? r.SkipCertificateCheck : (bool?)null,
                Proxy = ShownProxy(),
                ClientCertificateThumbprint = r.ClientCertificate?.Thumbprint,
                TimeoutSec = r.IsGiven(nameof(r.TimeoutSec)) ? r.TimeoutSec : (int?)null,
                MaxRetries = r.IsGiven(nameof(r.MaxRetries)) ? r.MaxRetries : (int?)null,
            };
        }

        private Uri? ShownProxy() => _request.Proxy == null ? null : ProxyAddress.From(_request.Proxy, null)!.Shown;

        private static string ExistingFile(ConnectionProfile p, string path, string field) =>
            File.Exists(path) ? path
            : throw Unavailable($"Profile '{p.Name}': its {field} {path} is gone. Put the file back, or save the profile with the new one: Connect-FinqLink -Profile {p.Name} -{(field == "ClientCertificatePath" ? "ClientCertificate" : field)} <new> -SaveProfile {p.Name}.");

        private string Variable(ConnectionProfile p, string variable, string what) =>
            _environment.Get(variable) ?? throw Unavailable($"Profile '{p.Name}' reads {what} from $env:{variable}, which is not set.");

        private string SecretOf(ConnectionProfile p, string parameter) =>
            p.SecretVariable != null ? Variable(p, p.SecretVariable, "the client secret")
            : throw Unavailable($"Profile '{p.Name}' keeps no secret: pass it with -{parameter} (Read-Host -AsSecureString, or from your vault).");

        private static ConnectionProfileException Unavailable(string message) => new ConnectionProfileException(ConnectionProfileError.Unavailable, message);
    }
}
