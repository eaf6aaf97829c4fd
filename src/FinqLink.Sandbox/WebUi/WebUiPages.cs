using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading.Tasks;
using FinqLink.Sandbox.Api;
using FinqLink.Sandbox.Data;
using FinqLink.Sandbox.Pay;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using static FinqLink.Sandbox.WebUi.PageLayout;

namespace FinqLink.Sandbox.WebUi;

/// <summary>
/// The pages at web_url where a person plays the payer or PSU: pick a bank, enter its sandbox test login, approve or
/// decline. The bank pages of the *_sca flows show the same page with the bank already chosen.
/// </summary>
public static class WebUiPages
{
    public static void MapWebUi(this IEndpointRouteBuilder app)
    {
        var links = app.ServiceProvider.GetRequiredService<LinkStore>();
        var linkLifecycle = app.ServiceProvider.GetRequiredService<LinkLifecycle>();
        var consents = app.ServiceProvider.GetRequiredService<ConsentLifecycle>();
        app.MapGet("/webui/pay/{webId}", (string webId) => ShowLink(links, linkLifecycle, webId));
        app.MapGet("/bank/{provider}/authorize/{webId}", (string webId) => ShowLink(links, linkLifecycle, webId));
        app.MapPost("/webui/pay/{webId}", (HttpContext http, string webId) => Submit(http, links.FindByWebId(webId) is { } link
            ? new Target(link.SelectedMethod?.ProviderId, link.RedirectUrl, (p, scenario) => { linkLifecycle.Approve(link, p, scenario); return null; }, () => linkLifecycle.Reject(link), "Payment")
            : null));

        app.MapGet("/webui/consent/{webId}", (string webId) => ShowConsent(consents, webId));
        app.MapGet("/bank/{provider}/consent/{webId}", (string webId) => ShowConsent(consents, webId));
        app.MapPost("/webui/consent/{webId}", (HttpContext http, string webId) => Submit(http, consents.FindByWebId(webId) is { } consent
            ? new Target(consent.SelectedMethod?.ProviderId, consent.RedirectUrl, (p, scenario) => consents.Approve(consent, p, scenario), () => consents.Reject(consent), "Access to account data")
            : null));
    }

    /// <param name="Approve">Approves with (provider, scenario); returns a direct_sca redirect code, if any.</param>
    private sealed record Target(string? FixedProvider, string? RedirectUrl, Func<string, string?, string?> Approve, Action Reject, string What);

    private static IResult ShowLink(LinkStore links, LinkLifecycle lifecycle, string webId)
    {
        var link = links.FindByWebId(webId);
        if (link is null) return Page("Payment not found", "<p>This payment link does not exist. Check the link you were sent.</p>", 404);
        lifecycle.Open(link);
        var t = link.SingleTransfer;
        var payee = (string?)t["creditor"]?["name"] ?? link.AppName;
        string status;
        lock (link) status = link.Status;
        var expired = lifecycle.IsExpired(link);
        var body = $"<p class=amount>{E((string?)t["amount"])} {E((string?)t["currency"])}</p>"
                   + $"<p>to <b>{E(payee)}</b>{((string?)t["creditor"]?["iban"] is { } iban ? $"<br><span class=muted>{E(iban)}</span>" : "")}</p>"
                   + ((string?)t["remittance_information"] is { } reference ? $"<p>For: {E(reference)}</p>" : "")
                   + $"<p class=status>{E(PayerWords.Payment(status, expired))}</p>";
        var open = !expired && status is LinkStatus.Created or LinkStatus.Started or LinkStatus.IntentAccepted;
        var banks = link.AllowedMethods.Select(m => m.ProviderId).Distinct();
        return Page("Pay with your bank", body + (open ? BankForms.For($"/webui/pay/{webId}", banks, "Pay now", "Decline this payment") : ""));
    }

    private static IResult ShowConsent(ConsentLifecycle consents, string webId)
    {
        var consent = consents.FindByWebId(webId);
        if (consent is null) return Page("Request not found", "<p>This request does not exist. Check the link you were sent.</p>", 404);
        consents.Open(consent);
        string status;
        DateTimeOffset? until;
        lock (consent) (status, until) = (consent.Status, consent.AuthorizedUntil);
        var body = $"<p><b>{E(consent.AppName)}</b> asks to see your {E(PayerWords.Scope(consent.Scope))} for {consent.ValidityDays} days.</p>"
                   + $"<p class=status>{E(PayerWords.Consent(status, until))}</p>";
        var open = status is ConsentStatus.Created or ConsentStatus.Started or ConsentStatus.ScaUrlRetrieved;
        var banks = consent.AllowedMethods.Select(m => m.ProviderId).Distinct();
        return Page("Share your account data", body + (open ? BankForms.For($"/webui/consent/{webId}", banks, "Agree", "Decline") : ""));
    }

    private static async Task<IResult> Submit(HttpContext http, Target? target)
    {
        if (target is null) return Page("Not found", "<p>This link does not exist.</p>", 404);
        if (!http.Request.HasFormContentType) return Page("Not possible", "<p>Please use the form on the page.</p>", 400);
        IFormCollection form;
        try { form = await http.Request.ReadFormAsync(http.RequestAborted); }
        catch (InvalidDataException) { return Page("Not possible", "<p>The form could not be read. Please try again.</p>", 400); }
        var again = $"<p><a href=\"{E(http.Request.Path)}\">Back</a></p>";
        try
        {
            if (form["action"] == "reject")
            {
                target.Reject();
                return Done(target, "You declined. Nothing was shared or paid.");
            }
            var provider = ProviderCatalog.Find(target.FixedProvider ?? (string?)form["provider_id"] ?? "");
            var login = provider is null ? null : PayerLogin.Read(form, provider);
            if (login is not { Accepted: true })
                return Page("Login failed", "<p>Your bank did not accept these details. Check them and try again.</p>" + again, 401);
            var redirectCode = target.Approve(provider!.ProviderId, login.Scenario);
            return Done(target, redirectCode is null
                ? "Approved. Your bank is now processing it; you may close this page."
                : $"Approved. Your bank sends you back to the app with the code {redirectCode}.");
        }
        catch (ApiException e) { return Page("Not possible", $"<p>{E(Reason(e))}</p>" + again, 400); }
    }

    private static string Reason(ApiException e) => e.Code switch
    {
        "link_expired" => "This link has expired.",
        "unprocessable_entity" => "This request is already closed.",
        _ => e.Message,
    };

    private static IResult Done(Target target, string message) =>
        Page(target.What, $"<p class=status>{E(message)}</p>" + (target.RedirectUrl is null ? "" : $"<p><a href=\"{E(target.RedirectUrl)}\">Back to the merchant</a></p>"));
}
