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

namespace FinqLink.Sandbox.WebUi;

/// <summary>
/// The pages at web_url where a person plays the payer or PSU: pick a bank, enter its sandbox test
/// credentials, approve or reject. The bank pages of the *_sca flows share the same form.
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
        if (link is null) return Page("Link not found", "<p>This payment link does not exist.</p>", 404);
        lifecycle.Open(link);
        var t = link.SingleTransfer;
        var summary = $"<p class=amount>{E((string?)t["amount"])} {E((string?)t["currency"])}</p>"
                      + $"<p>To {E((string?)t["creditor"]?["name"] ?? "the creditor")} {E((string?)t["creditor"]?["iban"])}</p>"
                      + $"<p>{E((string?)t["remittance_information"])}</p><p>Status: <b>{E(link.Status)}</b></p>";
        var providers = link.AllowedMethods.Select(m => m.ProviderId).Distinct();
        return Page("Pay with your bank", summary + Form($"/webui/pay/{webId}", providers, LinkStatus.IsFinal(link.Status)));
    }

    private static IResult ShowConsent(ConsentLifecycle consents, string webId)
    {
        var consent = consents.FindByWebId(webId);
        if (consent is null) return Page("Consent not found", "<p>This consent link does not exist.</p>", 404);
        consents.Open(consent);
        var summary = $"<p>{E(consent.AppName)} asks to read your {E(string.Join(", ", consent.Scope))} for {consent.ValidityDays} days.</p>"
                      + $"<p>Status: <b>{E(consent.Status)}</b></p>";
        var providers = consent.AllowedMethods.Select(m => m.ProviderId).Distinct();
        return Page("Share your account data", summary + Form($"/webui/consent/{webId}", providers, !ConsentStatus.IsPending(consent.Status)));
    }

    private static string Form(string action, IEnumerable<string> providerIds, bool closed)
    {
        if (closed) return "<p>This request is closed.</p>";
        var html = new StringBuilder($"<form method=post action=\"{E(action)}\"><label>Bank <select name=provider_id>");
        foreach (var id in providerIds) html.Append($"<option value=\"{E(id)}\">{E(ProviderCatalog.Find(id)!.Name)}</option>");
        html.Append("</select></label>");
        foreach (var field in new[] { "psu_id", "username", "password", "pin" })
            html.Append($"<label>{field} <input name={field} {(field is "password" or "pin" ? "type=password" : "")}></label>");
        html.Append("<p class=hint>Sandbox credentials: rzb_ro psu_id 9999999998 · bt_ro testbt/testbt pin 1234567 · cec_ro testcecapi/testcecapi · libra_ro testlibra/testlibra</p>");
        html.Append("<button name=action value=approve>Approve</button> <button name=action value=reject>Reject</button></form>");
        return html.ToString();
    }

    private static async Task<IResult> Submit(HttpContext http, Target? target)
    {
        if (target is null) return Page("Not found", "<p>This link does not exist.</p>", 404);
        if (!http.Request.HasFormContentType) return Page("Not possible", "<p>Send the page's form.</p>", 400);
        IFormCollection form;
        try { form = await http.Request.ReadFormAsync(http.RequestAborted); }
        catch (InvalidDataException) { return Page("Not possible", "<p>The form could not be read.</p>", 400); }
        try
        {
            if (form["action"] == "reject")
            {
                target.Reject();
                return Done(target, "You rejected the request.");
            }
            var providerId = target.FixedProvider ?? (string?)form["provider_id"] ?? "";
            var provider = ProviderCatalog.Find(providerId);
            var login = provider is null ? null : PayerLogin.Read(form, provider);
            if (login is not { Accepted: true })
                return Page("Login failed", $"<p>The bank did not accept these credentials.</p><p><a href=\"{E(http.Request.Path)}\">Try again</a></p>", 401);
            var redirectCode = target.Approve(provider!.ProviderId, login.Scenario);
            return Done(target, redirectCode is null ? "Approved. Your bank is processing the request." : $"Approved. Authorization code: {E(redirectCode)}");
        }
        catch (ApiException e) { return Page("Not possible", $"<p>{E(e.Message)}</p>", 400); }
    }

    private static IResult Done(Target target, string message) =>
        Page(target.What, $"<p>{message}</p>" + (target.RedirectUrl is null ? "" : $"<p><a href=\"{E(target.RedirectUrl)}\">Back to the merchant</a></p>"));

    private static IResult Page(string title, string body, int status = 200) => Results.Content(
        $"<!doctype html><html lang=en><head><meta charset=utf-8><title>{E(title)} · FinqLink sandbox</title>"
        + "<style>body{font-family:system-ui;max-width:32rem;margin:3rem auto}label{display:block;margin:.5rem 0}.amount{font-size:2rem}.hint{color:#666;font-size:.8rem}</style>"
        + $"</head><body><h1>{E(title)}</h1>{body}<footer><small>FinqLink local sandbox: no real bank is involved.</small></footer></body></html>",
        "text/html; charset=utf-8", Encoding.UTF8, status);

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
}
