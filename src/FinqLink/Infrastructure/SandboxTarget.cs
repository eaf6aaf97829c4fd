using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;

namespace FinqLink.PowerShell.Infrastructure
{
    /// <summary>
    /// Which local sandbox a control cmdlet (Invoke-FinqLinkSandbox, Register-FinqLinkSandboxClient) or Stop-FinqLinkSandbox acts on: -BaseUri,
    /// else the sandbox piped or named, else the session's (the sandbox Connect-FinqLink connected to, matched by its base
    /// URL), else the only one this runspace runs. Anything less clear is an error that lists the running sandboxes:
    /// acting on the wrong one would answer 404 for the session's links, or change a sandbox nobody looks at. A sandbox
    /// started elsewhere (a terminal, a container) is named with -BaseUri: a session's loopback URL alone may be a stopped
    /// sandbox or a proxy (and Stop-FinqLinkSandbox stops only sandboxes this process started).
    /// </summary>
    internal static class SandboxTarget
    {
        public static Uri Resolve(Uri? baseUri, FinqLinkSandbox? given, FinqLinkSession? session) =>
            baseUri ?? Started(given, session, "-Sandbox or -BaseUri").BaseUri;

        /// <summary>The sandbox this process started that is meant: as <see cref="Resolve"/>, without -BaseUri.</summary>
        /// <param name="naming">The parameters that name a sandbox, for the error.</param>
        public static FinqLinkSandbox Started(FinqLinkSandbox? given, FinqLinkSession? session, string naming)
        {
            if (given != null) return given;
            if (session != null && session.Connected)
            {
                var served = SandboxStore.Running.FirstOrDefault(s => s.ListensOn(session.BaseUri));
                if (served != null) return served;
            }
            var mine = SandboxStore.RunningHere;
            if (mine.Count == 1) return mine[0];
            throw new InvalidOperationException(mine.Count == 0 ? NoSandbox(session, naming) : Unclear(mine, session, naming));
        }

        /// <summary>Same scheme, same port, and the same host or both loopback (127.0.0.1, localhost and [::1] reach the same sandbox).</summary>
        public static bool SameEndpoint(Uri a, Uri b) =>
            string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port
            && (string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) || (IsLoopback(a) && IsLoopback(b)));

        private static bool IsLoopback(Uri uri) => uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

        private static string NoSandbox(FinqLinkSession? session, string naming) =>
            "No local sandbox runs" + Connected(session) + $": run Start-FinqLinkSandbox (and pipe it to Connect-FinqLink), or pass {naming}.";

        private static string Unclear(IReadOnlyList<FinqLinkSandbox> running, FinqLinkSession? session, string naming) =>
            $"{running.Count} local sandboxes run ({string.Join(", ", running.Select(s => s.BaseUri.ToString()))})" + Connected(session)
            + $": say which one, by piping it or with {naming}, or connect to it with Connect-FinqLink.";

        private static string Connected(FinqLinkSession? session) =>
            session == null || !session.Connected ? " and no session is connected to one" : $" and the session ({session.BaseUri}) is not connected to one";
    }
}
