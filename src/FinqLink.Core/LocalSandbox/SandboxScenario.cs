using System;
using System.Collections.Generic;
using System.Linq;

namespace FinqLink.LocalSandbox
{
    /// <summary>How a scenario moves its new link or consent after creating it.</summary>
    public enum ScenarioMove
    {
        /// <summary>The payer or account holder approves; the bank walks the flow to its end (a bank scenario may script it).</summary>
        Approve,
        /// <summary>Nobody acts, and the sandbox clock moves past the link's expiry.</summary>
        Expire,
        /// <summary>The account holder approves; once the consent is active, the app revokes it through the API.</summary>
        ApproveThenRevoke,
    }

    /// <summary>
    /// A whole story for a new link or consent, in the manner of <c>stripe trigger</c>: created through the API as the
    /// session's client, then played with the control API and the sandbox clock to its documented end.
    /// </summary>
    public sealed class SandboxScenario
    {
        private SandboxScenario(string name, bool isLink, ScenarioMove move, string? bankScenario, string ending, string summary)
        {
            Name = name;
            IsLink = isLink;
            Move = move;
            BankScenario = bankScenario;
            Ending = ending;
            Summary = summary;
        }

        public string Name { get; }
        /// <summary>True for a payment link, false for an AIS consent.</summary>
        public bool IsLink { get; }
        public ScenarioMove Move { get; }
        /// <summary>The control API's <c>scenario</c> for the approval (how the bank ends the flow), or null for the normal path.</summary>
        public string? BankScenario { get; }
        /// <summary>The status the story ends in (a link that expires stays <c>created</c>: expiry is a flag, not a status).</summary>
        public string Ending { get; }
        public string Summary { get; }

        /// <summary>How long the link or consent of an <see cref="ScenarioMove.Expire"/> story is valid; the clock then moves just past it.</summary>
        public static readonly TimeSpan ExpiresIn = TimeSpan.FromMinutes(5);

        public static readonly IReadOnlyList<SandboxScenario> All = new[]
        {
            new SandboxScenario("LinkPaid", true, ScenarioMove.Approve, null, "completed",
                "The payer pays at a bank that does not confirm funds: created, started, ..., completed."),
            new SandboxScenario("LinkFundsReceived", true, ScenarioMove.Approve, "funds_received", "funds_received",
                "The payer pays, then the creditor bank confirms the funds: ..., completed, funds_received."),
            new SandboxScenario("LinkFundsRejected", true, ScenarioMove.Approve, "funds_rejected", "funds_rejected",
                "The payer pays, then the creditor bank rejects the funds: ..., completed, funds_rejected."),
            new SandboxScenario("LinkFailed", true, ScenarioMove.Approve, "failed", "failed",
                "The payer approves, and the bank refuses after the SCA step: ..., awaiting_authz, failed."),
            new SandboxScenario("LinkExpired", true, ScenarioMove.Expire, null, "created",
                "Nobody pays and the link expires: is_expired becomes true, the status stays created, and no webhook is sent."),
            new SandboxScenario("ConsentActive", false, ScenarioMove.Approve, null, "active",
                "The account holder grants the consent: started, requested, ..., authorized, active."),
            new SandboxScenario("ConsentFailed", false, ScenarioMove.Approve, "failed", "failed",
                "The account holder approves, and the bank refuses: ..., awaiting_authz, failed."),
            new SandboxScenario("ConsentExpired", false, ScenarioMove.Expire, null, "expired",
                "Nobody authorises and the consent's link expires: created, expired."),
            new SandboxScenario("ConsentRevoked", false, ScenarioMove.ApproveThenRevoke, null, "revoked",
                "The account holder grants the consent, then the app revokes it (ais/consents/revoke): ..., active, revoked."),
        };

        public static IEnumerable<string> Names => All.Select(s => s.Name);

        public static SandboxScenario Find(string name) =>
            All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"Trigger: '{name}' is not one of {string.Join(", ", Names)}.");

        public override string ToString() => Name;
    }
}
