using System;
using System.Management.Automation;
using FinqLink.Models.Data;
using FinqLink.PowerShell.Infrastructure;
using FinqLink.Waiting;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>
    /// Waits until consents are active (or reach one of -Status), while the account holders authorise at their banks;
    /// the page each one must open is shown while it waits for them.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Wait, "FinqConsent")]
    [OutputType(typeof(Consent))]
    public sealed class WaitFinqConsentCommand : FinqWaitCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [Alias("consent_id")]
        public string[] ConsentId { get; set; } = Array.Empty<string>();

        /// <summary>Statuses to wait for; by default active. A consent that ends (expired, revoked, failed, suspended) is an error.</summary>
        [Parameter]
        // ConsentStatuses.All (a test keeps them equal: attribute arguments must be constants).
        [ValidateSet("created", "started", "requested", "sca_url_retrieved", "awaiting_authz", "authorized", "active",
            "expired", "revoked", "failed", "suspended", "deactivated")]
        public string[]? Status { get; set; }

        internal override string Activity => "Waiting for consents";

        protected override void ProcessRecord()
        {
            foreach (var id in ConsentId) Track(id, id);
        }

        internal override void Wait() => Wait(new ConsentGoal(Client, Logged, Status), (consent, _) => consent);
    }
}
