using System.Management.Automation;

namespace FinqLink.PowerShell.Infrastructure
{
    /// <summary>
    /// Verbose lines written only when they are asked for (-Verbose, or $VerbosePreference). Under -Debug alone PowerShell
    /// treats a compiled cmdlet's WriteVerbose as Inquire: a console asks "Continue with this operation?" for each line,
    /// and a non-interactive runbook fails there, after the work was done (a link made, a session connected).
    /// </summary>
    internal static class RequestedVerbose
    {
        public static void WriteVerboseIfRequested(this PSCmdlet cmdlet, string text)
        {
            if (FinqCmdlet.Requested(cmdlet, "Verbose")) cmdlet.WriteVerbose(text);
        }
    }
}
