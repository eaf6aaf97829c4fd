using System;
using System.Collections.Generic;
using System.Linq;
using FinqLink.Sandbox.Api;
using FinqLink.Sandbox.Auth;
using FinqLink.Sandbox.Data;
using FinqLink.Sandbox.Faults;
using FinqLink.Sandbox.Infrastructure;
using FinqLink.Sandbox.Pay;
using FinqLink.Sandbox.Webhooks;

namespace FinqLink.Sandbox.Control;

/// <summary>
/// What tests and demos may do to the sandbox that FinqLink's API cannot: play the payer or PSU, force
/// statuses, rotate webhook keys, set faults and read counters. Served over HTTP under /sandbox/.
/// </summary>
public sealed class SandboxControl
{
    private readonly LinkService _links;
    private readonly ConsentService _consents;
    private readonly JobService _jobs;
    private readonly MtlsRules? _mtls;

    internal SandboxControl(LinkService links, ConsentService consents, JobService jobs, SigningKeys keys, WebhookSender webhooks,
        FaultPlan faults, Counters counters, ClientRegistry clients, SandboxSettings settings, MtlsRules? mtls)
    {
        _mtls = mtls;
        _links = links;
        _consents = consents;
        _jobs = jobs;
        Keys = keys;
        Webhooks = webhooks;
        Faults = faults;
        Counters = counters;
        Clients = clients;
        Settings = settings;
    }

    public SigningKeys Keys { get; }
    public WebhookSender Webhooks { get; }
    public FaultPlan Faults { get; }
    public Counters Counters { get; }
    public ClientRegistry Clients { get; }
    public SandboxSettings Settings { get; }

    public void ApproveLink(string linkId, string? providerId = null) => _links.Approve(Link(linkId), providerId);
    public void RejectLink(string linkId) => _links.Reject(Link(linkId));
    public void SetLinkStatus(string linkId, string status) => _links.Force(Link(linkId), status);

    /// <summary>Approves as the PSU; for direct_sca returns the code the bank appends to the app's redirect URL.</summary>
    public string? ApproveConsent(string consentId, string? providerId = null) => _consents.Approve(Consent(consentId), providerId);
    public void RejectConsent(string consentId) => _consents.Reject(Consent(consentId));
    public void SetConsentStatus(string consentId, string status) => _consents.Force(Consent(consentId), status);

    public void SetJobStatus(string jobId, string status) =>
        _jobs.Force(_jobs.Find(jobId) ?? throw ApiException.NotFound("job_not_found", $"job_id: no job {jobId}"), status);

    public void SetFaults(IEnumerable<FaultRule> rules, int? seed = null) => Faults.Set(rules, seed);
    public void ClearFaults() => Faults.Set(Array.Empty<FaultRule>());

    public IReadOnlyList<WebhookDelivery> WebhookLog => Webhooks.Log;

    /// <summary>Client certificates the HTTPS listener refused (mTLS), each with the rule it broke.</summary>
    public IReadOnlyList<string> RejectedClientCertificates => _mtls?.Rejections ?? Array.Empty<string>();

    private PaymentLink Link(string linkId) =>
        _links.FindById(linkId) ?? throw ApiException.NotFound("not_found", $"link_id: no link {linkId}");

    private Consent Consent(string consentId) =>
        _consents.FindById(consentId) ?? throw ApiException.NotFound("consent_not_found", $"consent_id: no consent {consentId}");
}
