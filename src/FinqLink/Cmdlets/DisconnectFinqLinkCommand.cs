using System.Management.Automation;
using FinqLink.PowerShell.Infrastructure;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>Forgets the runspace's default session (or the one given) and closes its connections.</summary>
    [Cmdlet(VerbsCommunications.Disconnect, "FinqLink")]
    [OutputType(typeof(void))]
    public sealed class DisconnectFinqLinkCommand : PSCmdlet
    {
        [Parameter(ValueFromPipeline = true)]
        public FinqLinkSession? Session { get; set; }

        protected override void ProcessRecord()
        {
            var current = SessionStore.Current;
            var session = Session ?? current;
            if (session == null)
            {
                this.WriteVerboseIfRequested("No FinqLink session to disconnect.");
                return;
            }
            if (ReferenceEquals(session, current)) SessionStore.Current = null;
            session.Dispose();
            this.WriteVerboseIfRequested($"Disconnected {session}.");
        }
    }
}
