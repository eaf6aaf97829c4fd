using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Http;
using FinqLink.Models.Data;
using FinqLink.PowerShell.Infrastructure;

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

        protected override string Activity => "Waiting for consents";

        protected override string Goal => Status == null ? "active" : string.Join(" or ", Status);

        protected override void ProcessRecord()
        {
            foreach (var id in ConsentId) Track(id, id);
        }

        internal override async Task<(IReadOnlyDictionary<string, object> Found, IReadOnlyDictionary<string, Exception> Failed)> PollAsync(
            FinqLinkClient client, IReadOnlyCollection<string> ids, RequestOptions options, CancellationToken cancellationToken)
        {
            var result = await client.Consents.GetManyAsync(ids, options, cancellationToken).ConfigureAwait(false);
            return (result.Found.ToDictionary(f => f.Key, f => (object)f.Value), result.Failed);
        }

        protected override bool Reached(object item)
        {
            var consent = (Consent)item;
            return Status == null ? consent.IsActive : Status.Contains(consent.Status);
        }

        protected override bool CannotReach(object item) => ((Consent)item).IsTerminal;

        protected override string? StatusOf(object item) => ((Consent)item).Status;

        protected override string? ActionUrlOf(object item)
        {
            var consent = (Consent)item;
            return consent.Status == ConsentStatuses.Created ? consent.WebUrl : null;     // started: the account holder is on it already
        }
    }
}
