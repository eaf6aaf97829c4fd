using System;
using System.IO;
using System.Management.Automation;
using FinqLink.PowerShell.Infrastructure;
using FinqLink.Profiles;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>Connect-FinqLink -Profile (connect from a saved profile, parameters given win) and -SaveProfile (save what connected).</summary>
    public sealed partial class ConnectFinqLinkCommand
    {
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
        [Parameter(ParameterSetName = KeyVaultSet)]
        [Parameter(ParameterSetName = ProfileSet)]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string? SaveProfile { get; set; }

        /// <summary>Writes the profile Core built (and checked) before connecting, now that the connection is proven.</summary>
        private void Save(ConnectionProfile profile)
        {
            var store = new ConnectionProfileStore();
            try
            {
                var replaced = store.Exists(profile.Name);
                var path = store.Write(profile);
                this.WriteVerboseIfRequested($"{(replaced ? "Replaced" : "Saved")} profile '{profile.Name}' in {path}.");
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
