using System;
using System.Diagnostics.CodeAnalysis;
using System.Security;
using FinqLink.LocalSandbox;

namespace FinqLink.PowerShell
{
    /// <summary>
    /// A local FinqLink sandbox started by Start-FinqLinkSandbox. Its BaseUri, ClientId and ClientSecret (the built-in
    /// client) bind by name to Connect-FinqLink, so <c>Start-FinqLinkSandbox | Connect-FinqLink</c> connects to it.
    /// </summary>
    public sealed class FinqLinkSandbox : IDisposable
    {
        internal FinqLinkSandbox(SandboxProcess process)
        {
            Process = process;
            ClientSecret = new SecureString();
            foreach (var c in SandboxProcess.BuiltInClientSecret) ClientSecret.AppendChar(c);
            ClientSecret.MakeReadOnly();
            StartedAt = DateTimeOffset.Now;
        }

        internal SandboxProcess Process { get; }

        public Uri BaseUri => Process.BaseUri;
        [SuppressMessage("Performance", "CA1822", Justification = "PowerShell binds and shows only instance properties: Connect-FinqLink takes ClientId from a piped sandbox.")]
        public string ClientId => SandboxProcess.BuiltInClientId;
        /// <summary>The built-in client's secret: the published test value "demo-secret", nothing private.</summary>
        public SecureString ClientSecret { get; }
        public Uri TokenEndpoint => Process.TokenEndpoint;
        public Uri ControlUri => Process.ControlUri;
        public int ProcessId => Process.ProcessId;
        public bool Running => !Process.HasExited;
        public string Command => Process.Command;
        public string LogPath => Process.LogPath;
        public DateTimeOffset StartedAt { get; }

        public override string ToString() => BaseUri.ToString();

        public void Dispose() => Process.Dispose();
    }
}
