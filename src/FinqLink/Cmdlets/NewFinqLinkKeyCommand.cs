using System;
using System.IO;
using System.Management.Automation;
using FinqLink.Auth.Keys;
using FinqLink.PowerShell.Infrastructure;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>
    /// Makes an RS256 key pair for OAuth2 private_key_jwt, as Finqware's key script does: private.key.pem, public.key.pem,
    /// private.key.json and public.key.json in -Path, and a key id. Send public.key.json to Finqware, or register it with
    /// the local sandbox (Register-FinqLinkSandboxClient).
    /// </summary>
    [Cmdlet(VerbsCommon.New, "FinqLinkKey", SupportsShouldProcess = true)]
    [OutputType(typeof(PSObject))]
    public sealed class NewFinqLinkKeyCommand : PSCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = "";

        /// <summary>Replace a key pair already in -Path.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void EndProcessing()
        {
            var folder = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            if (!ShouldProcess(folder, "Write a new RS256 key pair")) return;
            KeyPair pair;
            try { pair = KeyPairFiles.Create(folder, Force); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                ThrowTerminatingError(new ErrorRecord(e, "FinqLink.KeyFilesExist", ErrorCategory.ResourceExists, folder));
                return;
            }
            var output = new PSObject();
            output.TypeNames.Insert(0, "FinqLink.KeyPair");
            output.Properties.Add(new PSNoteProperty("KeyId", pair.KeyId));
            output.Properties.Add(new PSNoteProperty("PrivateKeyPath", pair.PrivateKeyPath));
            output.Properties.Add(new PSNoteProperty("PublicKeyPath", pair.PublicKeyPath));
            output.Properties.Add(new PSNoteProperty("PrivateJwkPath", pair.PrivateJwkPath));
            output.Properties.Add(new PSNoteProperty("PublicJwkPath", pair.PublicJwkPath));
            WriteObject(output);
        }
    }
}
