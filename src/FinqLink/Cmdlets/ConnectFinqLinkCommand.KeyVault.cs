using System;
using System.Management.Automation;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>Connect-FinqLink -KeyVaultKeyId: private_key_jwt signed in Azure Key Vault (FinqLink.Azure, loaded only then).</summary>
    public sealed partial class ConnectFinqLinkCommand
    {
        /// <summary>The Key Vault key that signs the assertions: https://&lt;vault&gt;.vault.azure.net/keys/&lt;name&gt;[/&lt;version&gt;].</summary>
        [Parameter(Mandatory = true, ParameterSetName = KeyVaultSet)]
        [Parameter(ParameterSetName = ProfileSet)]
        [ValidateNotNull]
        public Uri? KeyVaultKeyId { get; set; }
    }
}
