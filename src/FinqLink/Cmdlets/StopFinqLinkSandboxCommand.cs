using System.Management.Automation;
using FinqLink.PowerShell.Infrastructure;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>Stops a local sandbox started by Start-FinqLinkSandbox, with every process it started.</summary>
    [Cmdlet(VerbsLifecycle.Stop, "FinqLinkSandbox")]
    public sealed class StopFinqLinkSandboxCommand : SandboxCmdlet
    {
        /// <summary>The sandbox to stop (piped or named); by default the session's, see <see cref="SandboxTarget"/>.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        public FinqLinkSandbox? Sandbox { get; set; }

        protected override void ProcessRecord()
        {
            var sandbox = StopTarget(Sandbox);
            this.WriteVerboseIfRequested($"Stopping the sandbox at {sandbox.BaseUri} (process {sandbox.ProcessId}).");
            sandbox.Dispose();
            SandboxStore.Remove(sandbox);
        }
    }
}
