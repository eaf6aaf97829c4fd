using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace FinqLink.PowerShell.Infrastructure
{
    /// <summary>The default session of each runspace: never process-wide, never on disk.</summary>
    internal static class SessionStore
    {
        private sealed class Holder
        {
            public FinqLinkSession? Session;
        }

        private static readonly ConditionalWeakTable<Runspace, Holder> Sessions = new ConditionalWeakTable<Runspace, Holder>();

        public static FinqLinkSession? Current
        {
            get => Runspace.DefaultRunspace is Runspace rs && Sessions.TryGetValue(rs, out var h) ? h.Session : null;
            set
            {
                if (Runspace.DefaultRunspace is Runspace rs) Sessions.GetOrCreateValue(rs).Session = value;
            }
        }
    }
}
