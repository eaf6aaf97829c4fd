using System.Management.Automation;

namespace FinqLink.PowerShell.Cmdlets
{
    public sealed partial class ConnectFinqLinkCommand
    {
        /// <summary>
        /// Ends Connect-FinqLink with its error. A compiled cmdlet's terminating error ends only its own statement, even
        /// under -ErrorAction Stop, so a runbook's next command would run without a session. Under -ErrorAction Stop the
        /// error goes through WriteError instead, which the engine turns into a stop of the whole script, as users expect.
        /// </summary>
        private void Stop(ErrorRecord error)
        {
            if (MyInvocation.BoundParameters.TryGetValue("ErrorAction", out var action) && action is ActionPreference.Stop) WriteError(error);
            ThrowTerminatingError(error);
        }
    }
}
