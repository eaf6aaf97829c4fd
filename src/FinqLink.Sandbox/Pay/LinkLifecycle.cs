using System;
using System.Collections.Generic;
using System.Linq;
using FinqLink.Sandbox.Api;
using FinqLink.Sandbox.Infrastructure;
using FinqLink.Sandbox.Scenarios;
using FinqLink.Sandbox.Webhooks;

namespace FinqLink.Sandbox.Pay;

/// <summary>
/// A payment link's state machine: the payer opens, approves or rejects; the bank then walks the link through its
/// statuses in the background, one per <see cref="SandboxSettings.BankStepDelay"/>, with a webhook for each.
/// </summary>
public sealed class LinkLifecycle(BankSteps bank, WebhookSender webhooks, SandboxSettings settings, TimeProvider time)
{
    /// <summary>The payer opened the WebUI page: a payment session now exists.</summary>
    public void Open(PaymentLink link) => Advance(link, LinkStatus.Created, LinkStatus.Started);

    /// <summary>
    /// The payer approves with <paramref name="providerId"/>'s bank. The flow ends completed, then funds_received for the
    /// providers that confirm funds; a <paramref name="scenario"/> (see <see cref="Scenario"/>) scripts another ending.
    /// </summary>
    public void Approve(PaymentLink link, string? providerId, string? scenario = null)
    {
        Scenario.Check(scenario, Scenario.ForLinks);
        PaymentMethod method;
        lock (link)
        {
            ThrowIfNotPayable(link);
            method = link.SelectedMethod ??= link.AllowedMethods.FirstOrDefault(m => providerId is null || m.ProviderId == providerId)
                ?? throw new ApiException(400, "method_selection_error", $"provider_id: {providerId} is not allowed by this link's payment_method filter");
        }
        RunBankFlow(link, BankPath(method.ProviderId, scenario));
    }

    public void Reject(PaymentLink link)
    {
        lock (link) ThrowIfNotPayable(link);
        RunBankFlow(link, new List<string> { LinkStatus.AwaitingAuthz, LinkStatus.Failed });
    }

    /// <summary>Sets a status directly (control API) and notifies the link's webhook; a bank flow under way then stops.</summary>
    public void Force(PaymentLink link, string status)
    {
        if (!LinkStatus.All.Contains(status)) throw ApiException.Validation("status", "must be one of " + string.Join(", ", LinkStatus.All));
        string previous;
        lock (link)
        {
            previous = link.Status;
            link.Status = status;
        }
        Notify(link, previous, status);
    }

    public bool IsExpired(PaymentLink link)
    {
        lock (link) return link.IsExpiredAt(time.GetUtcNow());
    }

    private List<string> BankPath(string providerId, string? scenario)
    {
        var path = new List<string> { LinkStatus.Started, LinkStatus.Requested, LinkStatus.IntentAccepted, LinkStatus.AwaitingAuthz };
        if (scenario == Scenario.Failed)
        {
            path.Add(LinkStatus.Failed);
            return path;
        }
        path.AddRange(new[] { LinkStatus.Received, LinkStatus.Submitted, LinkStatus.Completed });
        if (scenario == Scenario.FundsRejected) path.Add(LinkStatus.FundsRejected);
        else if (scenario == Scenario.FundsReceived || settings.FundsConfirmationProviders.Contains(providerId)) path.Add(LinkStatus.FundsReceived);
        return path;
    }

    private void RunBankFlow(PaymentLink link, List<string> path)
    {
        string current;
        lock (link) current = link.Status;
        var remaining = path.Skip(path.IndexOf(current) + 1).ToList();
        var steps = remaining.Select((next, i) => (Func<bool>)(() => Advance(link, i == 0 ? current : remaining[i - 1], next)));
        bank.Run(steps, () => settings.BankStepDelay);
    }

    /// <summary>Moves <paramref name="link"/> on only if nothing else moved it since (<paramref name="expected"/>).</summary>
    private bool Advance(PaymentLink link, string expected, string next)
    {
        lock (link)
        {
            if (link.Status != expected) return false;
            link.Status = next;
        }
        Notify(link, expected, next);
        return true;
    }

    private void ThrowIfNotPayable(PaymentLink link)
    {
        if (link.IsExpiredAt(time.GetUtcNow())) throw new ApiException(400, "link_expired", "The payment link has expired.");
        if (LinkStatus.IsFinal(link.Status)) throw new ApiException(400, "unprocessable_entity", $"The payment link is already {link.Status}.");
    }

    private void Notify(PaymentLink link, string previous, string status) => webhooks.Send(link.WebhookUrl, WebhookPayloads.Link(link, status), previous);
}
