using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;

namespace FinqLink.LocalSandbox
{
    /// <summary>One control-API operation under a name a script reads well.</summary>
    public sealed class SandboxAction
    {
        internal SandboxAction(string name, HttpMethod method, string path, string summary)
        {
            Name = name;
            Method = method;
            Path = path;
            Summary = summary;
        }

        public string Name { get; }
        public HttpMethod Method { get; }
        /// <summary>Relative to /sandbox/; "{id}" is the link, consent or job id.</summary>
        public string Path { get; }
        public string Summary { get; }
        public bool NeedsId => Path.Contains("{id}");

        public string PathFor(string? id)
        {
            if (!NeedsId) return Path;
            if (string.IsNullOrWhiteSpace(id)) throw new ArgumentException($"Id: {Name} needs the id of the {Path.Split('/')[0].TrimEnd('s')} it acts on.");
            return Path.Replace("{id}", Uri.EscapeDataString(id!.Trim()));
        }
    }

    /// <summary>The control API, one table: Invoke-FinqLinkSandbox's actions and its help come from here.</summary>
    public static class SandboxActions
    {
        public static readonly IReadOnlyList<SandboxAction> All = new[]
        {
            new SandboxAction("GetLinks", HttpMethod.Get, "links", "Every link as the sandbox received it (single_transfer as sent), oldest first."),
            new SandboxAction("ApproveLink", HttpMethod.Post, "links/{id}/approve", "The payer pays (at -ProviderId; -Scenario failed, funds_received or funds_rejected scripts the bank)."),
            new SandboxAction("RejectLink", HttpMethod.Post, "links/{id}/reject", "The payer rejects the payment."),
            new SandboxAction("SetLinkStatus", HttpMethod.Post, "links/{id}/status", "Forces a link status (-Status)."),
            new SandboxAction("ApproveConsent", HttpMethod.Post, "consents/{id}/approve", "The account holder grants the consent (-Scenario failed, suspended, job_partially_completed or job_failed scripts it); answers redirect_code for direct_sca."),
            new SandboxAction("RejectConsent", HttpMethod.Post, "consents/{id}/reject", "The account holder refuses the consent."),
            new SandboxAction("SetConsentStatus", HttpMethod.Post, "consents/{id}/status", "Forces a consent status (-Status)."),
            new SandboxAction("SetJobStatus", HttpMethod.Post, "jobs/{id}/status", "Forces a refresh job status (-Status)."),
            new SandboxAction("RotateKeys", HttpMethod.Post, "keys/rotate", "Rotates the webhook signing keys; answers the new kid."),
            new SandboxAction("GetStats", HttpMethod.Get, "stats", "Counters: requests, links created, duplicate links, tokens issued, faults injected."),
            new SandboxAction("GetWebhooks", HttpMethod.Get, "webhooks", "The webhook delivery log."),
            new SandboxAction("TriggerWebhook", HttpMethod.Post, "webhooks/trigger", "Sends a signed webhook now (-Body type, id, status, url)."),
            new SandboxAction("GetClock", HttpMethod.Get, "clock", "The sandbox clock: now and its offset from real time."),
            new SandboxAction("SetClock", HttpMethod.Post, "clock", "Sets the clock's offset from real time (-Seconds; negative is behind)."),
            new SandboxAction("AdvanceClock", HttpMethod.Post, "clock", "Moves the clock forward (-Seconds): expiries, validity, token lifetimes and cooldowns follow."),
            new SandboxAction("GetFaults", HttpMethod.Get, "faults", "The fault rules in force."),
            new SandboxAction("SetFaults", HttpMethod.Post, "faults", "Replaces the fault rules (-Fault, in the command line's syntax)."),
            new SandboxAction("ClearFaults", HttpMethod.Delete, "faults", "Removes every fault rule."),
            new SandboxAction("GetSettings", HttpMethod.Get, "settings", "Token lifetime, cooldowns and delays."),
            new SandboxAction("SetSettings", HttpMethod.Post, "settings", "Changes settings (-Body)."),
            new SandboxAction("GetClients", HttpMethod.Get, "clients", "The registered API clients, without secrets."),
            new SandboxAction("RegisterClient", HttpMethod.Post, "clients", "Registers an API client (-Body: client_id, client_secret and/or keys)."),
            new SandboxAction("GetTlsRejections", HttpMethod.Get, "tls/rejections", "Client certificates refused by mTLS, with the rule each broke."),
        };

        public static IEnumerable<string> Names => All.Select(a => a.Name);

        public static SandboxAction Find(string name) =>
            All.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"Action: '{name}' is not one of {string.Join(", ", Names)}.");

        /// <summary>
        /// A fault rule in the command line's syntax ("links/create:fail-before=0.2,latency=50") as the control API's JSON
        /// object ({"path":"links/create","fail-before":0.2,"latency":50}).
        /// </summary>
        private static readonly char[] Comma = { ',' };

        public static IDictionary ParseFault(string rule)
        {
            var colon = rule.IndexOf(':');
            if (colon <= 0) throw new ArgumentException($"Fault: '{rule}' must look like <path>:<key>=<value>,… (for example links/create:fail-before=0.2).");
            var parsed = new Hashtable { ["path"] = rule.Substring(0, colon).Trim() };
            foreach (var pair in rule.Substring(colon + 1).Split(Comma, StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=');
                if (eq <= 0) throw new ArgumentException($"Fault: '{pair}' in '{rule}' must be <key>=<value>.");
                var value = pair.Substring(eq + 1).Trim();
                parsed[pair.Substring(0, eq).Trim()] = double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : (object)value;
            }
            return parsed;
        }
    }
}
