using System;
using System.IO;
using System.Management.Automation;
using FinqLink.Auth;
using FinqLink.PowerShell.Infrastructure;
using FinqLink.Profiles;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>
    /// Connect-FinqLink -SaveProfile: the connection as a profile, built before connecting (so a connection that cannot be
    /// saved is refused before anything is sent) and written after it succeeded. No secret is ever put in it: a secret
    /// read from a variable is saved as the variable's name, a secret typed is left for the next Connect to be given.
    /// </summary>
    public sealed partial class ConnectFinqLinkCommand
    {
        private ConnectionProfile ProfileToSave(string set)
        {
            var name = SaveProfile!;
            if (set == SignerSet || set == TokenProviderSet || (set == AccessTokenSet && _secretVariable == null))
                throw new ConnectionProfileException(ConnectionProfileError.Invalid,
                    $"-SaveProfile {name}: a connection with {(set == SignerSet ? "-Signer" : set == TokenProviderSet ? "-AccessTokenProvider" : "-AccessToken")} cannot be saved: a profile keeps no script and no token.");
            if (ProxyCredential != null || (Proxy?.UserInfo.Length ?? 0) > 0)
                WriteWarning($"-SaveProfile {name}: the proxy's user and password are not saved; give -ProxyCredential again when connecting with -Profile {name}.");

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
                BaseUri = Environment == null ? BaseUri : null,
                Environment = Environment,
                ClientId = set == CredentialSet ? Credential!.UserName : ClientId,
                SecretVariable = _secretVariable,
                KeyId = KeyId,
                TokenEndpoint = TokenEndpoint,
                Scope = Scope == OAuthAuthenticator.DefaultScope ? null : Scope,
                ApiVersion = Given(nameof(ApiVersion)) || ApiVersion != "v2" ? ApiVersion : null,
                UseTestPath = UseTestPath ? true : (bool?)null,
                SkipCertificateCheck = SkipCertificateCheck ? true : (bool?)null,
                Proxy = ShownProxy(),
                TimeoutSec = Given(nameof(TimeoutSec)) ? TimeoutSec : (int?)null,
                MaxRetries = Given(nameof(MaxRetries)) ? MaxRetries : (int?)null,
                SavedAt = DateTimeOffset.Now,
            };
            switch (set)
            {
                case ClientSecretSet: case CredentialSet: profile.Credential = ProfileCredential.ClientSecret; break;
                case OAuthSecretSet: profile.Credential = ProfileCredential.OAuthClientSecret; break;
                case AccessTokenSet: profile.Credential = ProfileCredential.AccessToken; break;
                case PfxSet: profile.Credential = ProfileCredential.Pfx; profile.PfxPath = Resolve(PfxPath!); break;
                case ThumbprintSet: profile.Credential = ProfileCredential.CertificateThumbprint; profile.CertificateThumbprint = CertificateThumbprint; break;
                case CertificateSet:
                    WriteWarning($"-SaveProfile {name}: the certificate is saved by its thumbprint; Connect-FinqLink -Profile {name} finds it in the CurrentUser or LocalMachine 'My' store.");
                    profile.Credential = ProfileCredential.CertificateThumbprint;
                    profile.CertificateThumbprint = Certificate!.Thumbprint;
                    break;
                default:
                    profile.Credential = _privateKeyText != null ? ProfileCredential.PrivateKey : ProfileCredential.PrivateKeyPath;
                    profile.PrivateKeyPath = _privateKeyText != null ? null : Resolve(PrivateKeyPath!);
                    break;
            }
            if (_clientCertificateSource != null)
            {
                profile.ClientCertificatePath = _clientCertificateSource.ClientCertificatePath;
                profile.ClientCertificatePasswordVariable = _clientCertificateSource.ClientCertificatePasswordVariable;
                profile.ClientCertificateThumbprint = _clientCertificateSource.ClientCertificateThumbprint;
            }
            else profile.ClientCertificateThumbprint = ClientCertificate?.Thumbprint;
            ConnectionProfileStore.Validate(profile);
            return profile;
        }

        private void Save(ConnectionProfile profile)
        {
            var store = new ConnectionProfileStore();
            try
            {
                var replaced = store.Exists(profile.Name);
                var path = store.Write(profile);
                WriteVerbose($"{(replaced ? "Replaced" : "Saved")} profile '{profile.Name}' in {path}.");
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                WriteError(new ErrorRecord(e, "FinqLink.Profile.NotSaved", ErrorCategory.WriteError, profile.Name)
                {
                    ErrorDetails = new ErrorDetails($"Connected, but profile '{profile.Name}' could not be saved in {store.Folder}: {e.Message}"),
                });
            }
        }
    }
}
