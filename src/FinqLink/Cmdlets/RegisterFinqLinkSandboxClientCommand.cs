using System;
using System.IO;
using System.Management.Automation;
using System.Security;
using FinqLink.LocalSandbox;
using FinqLink.PowerShell.Infrastructure;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>
    /// Registers an API client with the local sandbox, as Finqware registers yours: a public key for OAuth2 private_key_jwt
    /// (public.key.json or public.key.pem from New-FinqLinkKey or Finqware's key script), a client secret, or both.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Register, "FinqLinkSandboxClient", SupportsShouldProcess = true)]
    [OutputType(typeof(PSObject))]
    public sealed class RegisterFinqLinkSandboxClientCommand : SandboxCmdlet
    {
        internal const string OutputTypeName = "FinqLink.SandboxClient";

        [Parameter(Mandatory = true, Position = 0)]
        [ValidateLength(1, 128)]
        public string ClientId { get; set; } = "";

        /// <summary>public.key.json (a JWK) or public.key.pem; binds from New-FinqLinkKey output.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? PublicKeyPath { get; set; }

        /// <summary>The key id to register; a JWK's own kid is used when omitted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? KeyId { get; set; }

        [Parameter]
        public SecureString? ClientSecret { get; set; }

        [Parameter]
        public string? AppName { get; set; }

        /// <summary>Tracking ids the client must send (tenant_user_id, tenant_company_id); a missing one is answered 401.</summary>
        [Parameter]
        [ValidateSet("tenant_user_id", "tenant_company_id")]
        public string[]? RequiredTracking { get; set; }

        /// <summary>Replaces a client already registered under -ClientId (without it, that is an error).</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>The sandbox to register with (piped or named); by default the session's, see <see cref="SandboxTarget"/>.</summary>
        [Parameter(ValueFromPipeline = true)]
        public FinqLinkSandbox? Sandbox { get; set; }

        [Parameter]
        public Uri? BaseUri { get; set; }

        protected override void ProcessRecord()
        {
            var client = new SandboxClientRegistration(ClientId)
            {
                AppName = AppName,
                ClientSecret = ClientSecret == null ? null : new System.Net.NetworkCredential("", ClientSecret).Password,
                RequiredTracking = RequiredTracking,
                Replace = Force,
            };
            var target = ControlTarget(BaseUri, Sandbox);
            try
            {
                if (PublicKeyPath != null) client.PublicKey = SandboxClientKeys.FromFile(SessionState.Path.GetUnresolvedProviderPathFromPSPath(PublicKeyPath), KeyId);
                var body = client.ToBody();
                var control = new SandboxControlClient(target);
                if (!ShouldProcess(ClientId, "Register the API client with the local sandbox")) return;
                Await(ct => control.SendAsync(SandboxActions.Find("RegisterClient"), null, body, ct));
                var output = new PSObject();
                output.TypeNames.Insert(0, OutputTypeName);
                output.Properties.Add(new PSNoteProperty("ClientId", ClientId));
                output.Properties.Add(new PSNoteProperty("KeyId", client.KeyId));
                output.Properties.Add(new PSNoteProperty("HasSecret", ClientSecret != null));
                WriteObject(output);
            }
            catch (Exception e) when (e is ArgumentException || e is InvalidOperationException || e is IOException || e is FormatException || e is System.Net.Http.HttpRequestException)
            {
                WriteError(new ErrorRecord(e, "FinqLink.Sandbox.RegisterFailed", ErrorCategory.InvalidArgument, ClientId));
            }
        }
    }
}
