using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace FinqLink.PowerShell.Infrastructure
{
    /// <summary>
    /// The sandboxes each runspace started, oldest first: what the sandbox cmdlets choose from (see SandboxTarget). Every one still running
    /// is stopped when the process exits, so a closed pwsh leaves no sandbox behind.
    /// </summary>
    internal static class SandboxStore
    {
        private static readonly ConditionalWeakTable<Runspace, List<FinqLinkSandbox>> Started = new ConditionalWeakTable<Runspace, List<FinqLinkSandbox>>();
        private static readonly List<FinqLinkSandbox> All = new List<FinqLinkSandbox>();

        static SandboxStore() => AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll();

        public static void Add(FinqLinkSandbox sandbox)
        {
            lock (All) All.Add(sandbox);
            if (Runspace.DefaultRunspace is Runspace rs) lock (Started) Started.GetOrCreateValue(rs).Add(sandbox);
        }

        /// <summary>Every running sandbox this process started, in any runspace: a session is matched against them all.</summary>
        public static IReadOnlyList<FinqLinkSandbox> Running
        {
            get { lock (All) return All.Where(s => s.Running).ToList(); }
        }

        /// <summary>The running sandboxes this runspace started, oldest first.</summary>
        public static IReadOnlyList<FinqLinkSandbox> RunningHere
        {
            get
            {
                if (!(Runspace.DefaultRunspace is Runspace rs) || !Started.TryGetValue(rs, out var list)) return Array.Empty<FinqLinkSandbox>();
                lock (Started) return list.Where(s => s.Running).ToList();
            }
        }

        public static void Remove(FinqLinkSandbox sandbox)
        {
            lock (All) All.Remove(sandbox);
            if (Runspace.DefaultRunspace is Runspace rs && Started.TryGetValue(rs, out var list)) lock (Started) list.Remove(sandbox);
        }

        private static void StopAll()
        {
            FinqLinkSandbox[] running;
            lock (All) running = All.ToArray();
            foreach (var sandbox in running) sandbox.Dispose();
        }
    }
}
