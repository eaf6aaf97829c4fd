using System.Management.Automation;
using FinqLink.PowerShell.Infrastructure;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>The runspace's default session: where it connects, as whom, how, and when its token expires.</summary>
    [Cmdlet(VerbsCommon.Get, "FinqSession")]
    [OutputType(typeof(FinqLinkSession))]
    public sealed class GetFinqSessionCommand : PSCmdlet
    {
        protected override void EndProcessing()
        {
            if (SessionStore.Current is FinqLinkSession session) WriteObject(session);
        }
    }
}
