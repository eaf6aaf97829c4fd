using System;
using System.Collections.Generic;
using System.Linq;
using FinqLink.Sandbox.Api;
using FinqLink.Sandbox.Infrastructure;
using FinqLink.Sandbox.Pay;
using FinqLink.Sandbox.Scenarios;
using FinqLink.Sandbox.Webhooks;

namespace FinqLink.Sandbox.Data;

/// <summary>
/// A consent's state machine. The PSU opens, approves or rejects; the bank then walks the consent to active in the
/// background (awaiting_authz only for the link and wrapped_sca flows; a direct_sca consent waits for the app's
/// consents/redirect instead). Link expiry and the end of validity take effect whenever the consent is looked up.
/// Every change sends a consent_status_update webhook.
/// </summary>
public sealed class ConsentLifecycle(ConsentStore store, BankSteps bank, WebhookSender webhooks, SandboxSettings settings, IdGenerator ids, TimeProvider time)
{
    /// <summary>The consent as of now (expired or revoked by the clock if its time has come).</summary>
    public Consent? Find(string consentId) => Current(store.FindById(consentId));

    public Consent? FindByWebId(string webId) => Current(store.FindByWebId(webId));

    public void Open(Consent consent)
    {
        lock (consent) if (consent.Status == ConsentStatus.Created) Set(consent, ConsentStatus.Started);
    }

    /// <summary>
    /// The PSU approves at <paramref name="providerId"/>'s bank, optionally scripting an outcome (see <see cref="Scenario"/>).
    /// For direct_sca, returns the code the bank appends to the app's redirect URL; the app completes with consents/redirect.
    /// </summary>
    public string? Approve(Consent consent, string? providerId, string? scenario = null)
    {
        Scenario.Check(scenario, Scenario.ForConsents);
        string current;
        lock (consent)
        {
            ThrowIfNotPending(consent);
            consent.SelectedMethod ??= consent.AllowedMethods.FirstOrDefault(m => providerId is null || m.ProviderId == providerId)
                ?? throw new ApiException(400, "method_selection_error", $"provider_id: {providerId} is not allowed by this consent's ais_method filter");
            consent.Scenario = scenario;
            if (consent.FlowType == FlowType.DirectSca)
            {
                if (scenario == Scenario.Failed) { Set(consent, ConsentStatus.Failed); return null; }
                return consent.PendingRedirectCode = ids.NewWebId();
            }
            current = consent.Status;
        }
        var path = new List<string> { ConsentStatus.Started, ConsentStatus.Requested, ConsentStatus.ScaUrlRetrieved };
        if (ConsentStatus.PassesAwaitingAuthz(consent.FlowType)) path.Add(ConsentStatus.AwaitingAuthz);
        path.Add(scenario == Scenario.Failed ? ConsentStatus.Failed : ConsentStatus.Authorized);
        var remaining = path.Skip(path.IndexOf(current) + 1).ToList();
        var steps = remaining.Select((next, i) => (Func<bool>)(() => Advance(consent, i == 0 ? current : remaining[i - 1], next))).ToList();
        if (scenario != Scenario.Failed) steps.Add(() => ActivateFrom(consent, ConsentStatus.Authorized));
        if (scenario == Scenario.Suspended) steps.Add(() => Advance(consent, ConsentStatus.Active, ConsentStatus.Suspended));
        bank.Run(steps, () => settings.BankStepDelay);
        return null;
    }

    public void Reject(Consent consent)
    {
        lock (consent)
        {
            ThrowIfNotPending(consent);
            Set(consent, ConsentStatus.Failed);
        }
    }

    /// <summary>direct_sca: the app hands over what the bank appended to its redirect URL: the code, or an error.</summary>
    public void CompleteRedirect(Consent consent, string? code, string? error)
    {
        lock (consent)
        {
            if (consent.FlowType != FlowType.DirectSca) throw ApiException.BadRequest("consent_id: only direct_sca consents take a redirect");
            if (consent.PendingRedirectCode is null)
                throw ApiException.BadRequest($"consent_id: the consent is {consent.Status}; the account holder has not approved at the bank");
            if (error is not null || code != consent.PendingRedirectCode)
            {
                consent.PendingRedirectCode = null;
                Set(consent, ConsentStatus.Failed);
                throw new ApiException(400, "unprocessable_entity", "code: the bank did not confirm the authorisation");
            }
            consent.PendingRedirectCode = null;
            Set(consent, ConsentStatus.Authorized);
            ActivateFrom(consent, ConsentStatus.Authorized);
        }
    }

    public void Revoke(Consent consent)
    {
        lock (consent)
        {
            if (consent.Status is ConsentStatus.Expired or ConsentStatus.Failed or ConsentStatus.Suspended)
                throw new ApiException(400, "consent_not_active", $"consent_id: the consent is {consent.Status} and cannot be revoked");
            if (consent.Status != ConsentStatus.Revoked) Set(consent, ConsentStatus.Revoked);
        }
    }

    /// <summary>Sets a status directly (control API); active also starts the validity period.</summary>
    public void Force(Consent consent, string status)
    {
        if (!ConsentStatus.All.Contains(status)) throw ApiException.Validation("status", "must be one of " + string.Join(", ", ConsentStatus.All));
        lock (consent)
        {
            if (status == ConsentStatus.Active) Activate(consent);
            else Set(consent, status);
        }
    }

    /// <summary>Records a refresh starting at <paramref name="at"/>, or refuses it inside the cooldown after the previous one.</summary>
    public void MarkJobStarted(Consent consent, DateTimeOffset at)
    {
        lock (consent)
        {
            var cooldownEnds = consent.LastJobStartedAt + settings.JobCooldown;
            if (cooldownEnds > at)
                throw new ApiException(400, "cooldown_failed",
                    $"consent_id: a data refresh started at {Json.Time(consent.LastJobStartedAt)}; the next one is allowed from {Json.Time(cooldownEnds)}");
            consent.LastJobStartedAt = at;
        }
    }

    public void AddNewerTransactions(Consent consent, int count)
    {
        lock (consent) consent.NewerTransactions += count;
    }

    private Consent? Current(Consent? consent)
    {
        if (consent is null) return null;
        lock (consent) ApplyClock(consent);
        return consent;
    }

    private void ApplyClock(Consent consent)
    {
        var now = time.GetUtcNow();
        if (ConsentStatus.IsPending(consent.Status) && consent.Status != ConsentStatus.Authorized && now >= consent.ExpiresAt) Set(consent, ConsentStatus.Expired);
        else if (consent.Status == ConsentStatus.Active && now >= consent.AuthorizedUntil) Set(consent, ConsentStatus.Revoked);
    }

    private bool Advance(Consent consent, string expected, string next)
    {
        lock (consent)
        {
            if (consent.Status != expected) return false;
            Set(consent, next);
            return true;
        }
    }

    private bool ActivateFrom(Consent consent, string expected)
    {
        lock (consent)
        {
            if (consent.Status != expected) return false;
            Activate(consent);
            return true;
        }
    }

    private void Activate(Consent consent)
    {
        consent.SelectedMethod ??= consent.AllowedMethods[0];
        consent.AuthorizedUntil = time.GetUtcNow().AddDays(consent.ValidityDays);
        Set(consent, ConsentStatus.Active);
    }

    private void ThrowIfNotPending(Consent consent)
    {
        ApplyClock(consent);
        if (consent.Status == ConsentStatus.Expired) throw new ApiException(400, "link_expired", "The consent link has expired.");
        if (!ConsentStatus.IsPending(consent.Status)) throw new ApiException(400, "unprocessable_entity", $"The consent is already {consent.Status}.");
    }

    private void Set(Consent consent, string status)
    {
        var previous = consent.Status;
        consent.Status = status;
        webhooks.Send(consent.WebhookUrl, WebhookPayloads.Consent(consent, status), previous);
    }
}
