using System;
using FinqLink.Auth;
using FinqLink.Profiles;

namespace FinqLink.Connections
{
    /// <summary>
    /// The connection as a profile to save, built before connecting (so a connection that cannot be saved is refused
    /// before anything is sent) and written by the caller once it connected. No secret is ever put in it: a secret read
    /// from a variable is saved as the variable's name, a secret given is left for the next connection to be given.
    /// </summary>
    public sealed partial class ConnectionBuilder
    {
        private ConnectionProfile ProfileToSave(CredentialKind kind)
        {
            var r = _request;
            var name = r.SaveProfile!;
            if (kind == CredentialKind.Signer || kind == CredentialKind.AccessTokenProvider || (kind == CredentialKind.AccessToken && _secretVariable == null))
                throw new ConnectionProfileException(ConnectionProfileError.Invalid,
                    $"-SaveProfile {name}: a connection with {(kind == CredentialKind.Signer ? "-Signer" : kind == CredentialKind.AccessTokenProvider ? "-AccessTokenProvider" : "-AccessToken")} cannot be saved: a profile keeps no script and no token.");
            if (r.ProxyCredential != null || (r.Proxy?.UserInfo.Length ?? 0) > 0)
                _warn($"-SaveProfile {name}: the proxy's user and password are not saved; give -ProxyCredential again when connecting with -Profile {name}.");

            if (_profile != null)
            {
                var updated = ConnectionProfileMerge.Overlay(_profile, new ConnectionProfile());
                updated.Name = name;
                updated.SavedAt = DateTimeOffset.Now;
                ConnectionProfileStore.Validate(updated);
                return updated;
            }
            var profile = new ConnectionProfile
            {
                Name = name,
                BaseUri = r.Environment == null ? r.BaseUri : null,
                Environment = r.Environment,
                ClientId = r.ClientId,
                SecretVariable = _secretVariable,
                KeyId = r.KeyId,
                TokenEndpoint = r.TokenEndpoint,
                Scope = r.Scope == OAuthAuthenticator.DefaultScope ? null : r.Scope,
                ApiVersion = r.IsGiven(nameof(r.ApiVersion)) || r.ApiVersion != ConnectionRequest.DefaultApiVersion ? r.ApiVersion : null,
                UseTestPath = r.UseTestPath ? true : (bool?)null,
                SkipCertificateCheck = r.SkipCertificateCheck ? true : (bool?)null,
                Proxy = ShownProxy(),
                TimeoutSec = r.IsGiven(nameof(r.TimeoutSec)) ? r.TimeoutSec : (int?)null,
                MaxRetries = r.IsGiven(nameof(r.MaxRetries)) ? r.MaxRetries : (int?)null,
                SavedAt = DateTimeOffset.Now,
            };
            switch (kind)
            {
                case CredentialKind.ClientSecret: profile.Credential = ProfileCredential.ClientSecret; break;
                case CredentialKind.OAuthClientSecret: profile.Credential = ProfileCredential.OAuthClientSecret; break;
                case CredentialKind.AccessToken: profile.Credential = ProfileCredential.AccessToken; break;
                case CredentialKind.KeyVaultKey:
                    profile.Credential = ProfileCredential.KeyVaultKey;
                    profile.KeyVaultKeyId = r.KeyVaultKeyId;
                    profile.SigningAlgorithm = r.SigningAlgorithm == ConnectionRequest.DefaultAlgorithm ? null : r.SigningAlgorithm;
                    break;
                case CredentialKind.Pfx: profile.Credential = ProfileCredential.Pfx; profile.PfxPath = _resolvePath(r.PfxPath!); break;
                case CredentialKind.CertificateThumbprint: profile.Credential = ProfileCredential.CertificateThumbprint; profile.CertificateThumbprint = r.CertificateThumbprint; break;
                case CredentialKind.Certificate:
                    _warn($"-SaveProfile {name}: the certificate is saved by its thumbprint; Connect-FinqLink -Profile {name} finds it in the CurrentUser or LocalMachine 'My' store.");
                    profile.Credential = ProfileCredential.CertificateThumbprint;
                    profile.CertificateThumbprint = r.Certificate!.Thumbprint;
                    break;
                default:
                    profile.Credential = r.PrivateKeyText != null ? ProfileCredential.PrivateKey : ProfileCredential.PrivateKeyPath;
                    profile.PrivateKeyPath = r.PrivateKeyText != null ? null : _resolvePath(r.PrivateKeyPath!);
                    break;
            }
            if (_clientCertificateSource != null)
            {
                profile.ClientCertificatePath = _clientCertificateSource.ClientCertificatePath;
                profile.ClientCertificatePasswordVariable = _clientCertificateSource.ClientCertificatePasswordVariable;
                profile.ClientCertificateThumbprint = _clientCertificateSource.ClientCertificateThumbprint;
            }
            else profile.ClientCertificateThumbprint = r.ClientCertificate?.Thumbprint;
            ConnectionProfileStore.Validate(profile);
            return profile;
        }
    }
}
