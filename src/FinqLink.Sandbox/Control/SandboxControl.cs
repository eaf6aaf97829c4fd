using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using FinqLink.Sandbox.Api;
using FinqLink.Sandbox.Auth;
using FinqLink.Sandbox.Clock;
using FinqLink.Sandbox.Data;
using FinqLink.Sandbox.Faults;
using FinqLink.Sandbox.Infrastructure;
using FinqLink.Sandbox.Pay;
using FinqLink.Sandbox.Webhooks;

namespace FinqLink.Sandbox.Control;

/// <summary>
/// What tests and demos may do to the sandbox that FinqLink's API cannot: play the payer or PSU, force statuses,
/// trigger webhooks, rotate webhook keys, move the clock, set faults and read counters. Served over HTTP under /sandbox/.
/// </summary>
public sealed class SandboxControl(LinkStore links, LinkLifecycle linkLifecycle, ConsentLifecycle consents, JobStore jobs, JobLifecycle jobLifecycle,
    SigningKeys keys, WebhookSender webhooks, FaultPlan faults, Counters counters, ClientRegistry clients, SandboxSettings settings,
    SandboxClock clock, TlsRejections tlsRejections, BankSteps bankSteps)
{
    public SigningKeys Keys { get; } = keys;
    public WebhookSender Webhooks { get; } = webhooks;
    public FaultPlan Faults { get; } = faults;
    public Counters Counters { get; } = counters;
    public ClientRegistry Clients { get; } = clients;
    public SandboxSettings Settings { get; } = settings;
    /// <summary>The sandbox's clock: set <see cref="SandboxClock.Offset"/> to skew it, <see cref="SandboxClock.Advance"/> to jump ahead.</summary>
    public SandboxClock Clock { get; } = clock;

    /// <summary>Approves as the payer; <paramref name="scenario"/> scripts the bank's outcome (see <see cref="Scenarios.Scenario.ForLinks"/>).</summary>
    public void ApproveLink(string linkId, string? providerId = null, string? scenario = null) => linkLifecycle.Approve(Link(linkId), providerId, scenario);
    public void RejectLink(string linkId) => linkLifecycle.Reject(Link(linkId));
    public void SetLinkStatus(string linkId, string status) => linkLifecycle.Force(Link(linkId), status);

    /// <summary>Approves as the PSU (<paramref name="scenario"/>: see <see cref="Scenarios.Scenario.ForConsents"/>); for direct_sca returns the code the bank appends to the app's redirect URL.</summary>
    public string? ApproveConsent(string consentId, string? providerId = null, string? scenario = null) => consents.Approve(Consent(consentId), providerId, scenario);
    public void RejectConsent(string consentId) => consents.Reject(Consent(consentId));
    public void SetConsentStatus(string consentId, string status) => consents.Force(Consent(consentId), status);

    public void SetJobStatus(string jobId, string status) => jobLifecycle.Force(Job(jobId), status);

    public void SetFaults(IEnumerable<FaultRule> rules, int? seed = null) => Faults.Set(rules, seed);
    public void ClearFaults() => Faults.Set(Array.Empty<FaultRule>());

    public IReadOnlyList<WebhookDelivery> WebhookLog => Webhooks.Log;

    /// <summary>Bank-side sequences (after approvals, refresh jobs) still under way; 0 when no status change is pending.</summary>
    public int BankStepsRunning => bankSteps.Running;

    /// <summary>Every link as the sandbox received it, oldest first (of one client when given): what a test checks was sent.</summary>
    public IReadOnlyList<PaymentLink> Links(string? clientId = null) =>
        links.NewestFirst(null).Where(l => clientId is null || l.ClientId == clientId).Reverse().ToList();

    /// <summary>
    /// Sends the documented webhook of <paramref name="type"/> for object <paramref name="id"/> (a link, consent or job id),
    /// signed with the current key, to the object's webhook URL or <paramref name="url"/>. The object's status is not
    /// changed; <paramref name="status"/> (default: its current status) is only what the webhook says.
    /// </summary>
    public WebhookDelivery TriggerWebhook(string type, string id, string? status = null, string? url = null)
    {
        if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
            throw ApiException.Validation("url", "must be an absolute http or https URL");
        var (payload, target, now) = type switch
        {
            WebhookPayloads.LinkStatusUpdate => Payload(Link(id), l => l.Status, LinkStatus.All, WebhookPayloads.Link, l => l.WebhookUrl),
            WebhookPayloads.ConsentStatusUpdate => Payload(Consent(id), c => c.Status, ConsentStatus.All, WebhookPayloads.Consent, c => c.WebhookUrl),
            WebhookPayloads.JobStatusUpdate => Payload(Job(id), j => j.Status, JobStatus.All, WebhookPayloads.Job, j => j.CallbackUrl),
            _ => throw ApiException.Validation("type", "must be one of " + string.Join(", ", WebhookPayloads.Types)),
        };
        return Webhooks.Send(url ?? target ?? throw ApiException.Validation("url", $"is required: {id} has no webhook URL"), payload, now)!;

        (JsonObject, string?, string) Payload<T>(T item, Func<T, string> current, string[] statuses, Func<T, string, JsonObject> build, Func<T, string?> webhookUrl)
            where T : class
        {
            string now;
            lock (item) now = current(item);
            var said = status ?? now;
            if (!statuses.Contains(said)) throw ApiException.Validation("status", "must be one of " + string.Join(", ", statuses));
            return (build(item, said), webhookUrl(item), now);
        }
    }

    /// <summary>Client certificates the HTTPS listener refused (mTLS), each with the rule it broke.</summary>
    public IReadOnlyList<string> RejectedClientCertificates => tlsRejections.Entries;

    private PaymentLink Link(string linkId) =>
        links.FindById(linkId) ?? throw ApiException.NotFound("not_found", $"link_id: no link {linkId}");

    private Consent Consent(string consentId) =>
        consents.Find(consentId) ?? throw ApiException.NotFound("consent_not_found", $"consent_id: no consent {consentId}");

    private RefreshJob Job(string jobId) =>
        jobs.Find(jobId) ?? throw ApiException.NotFound("job_not_found", $"job_id: no job {jobId}");
}
