using System.Management.Automation;
using FinqLink.PowerShell.Infrastructure;
using FinqLink.Profiles;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>Deletes saved connection profiles by name (Get-FinqConnectionProfile's output can be piped in).</summary>
    [Cmdlet(VerbsCommon.Remove, "FinqConnectionProfile", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(void))]
    public sealed class RemoveFinqConnectionProfileCommand : PSCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        [ValidateNotNullOrEmpty]
        public string[] Name { get; set; } = System.Array.Empty<string>();

        protected override void ProcessRecord()
        {
            var store = new ConnectionProfileStore();
            foreach (var name in Name)
            {
                try
                {
                    if (!store.Exists(name)) throw store.NotFound(name);
                    if (!ShouldProcess($"{name} ({store.Folder})", "Remove connection profile")) continue;
                    store.Remove(name);
                    this.WriteVerboseIfRequested($"Removed profile '{name}'.");
                }
                catch (ConnectionProfileException e) { WriteError(ProfileErrors.Record(e, name)); }
            }
        }
    }
}
