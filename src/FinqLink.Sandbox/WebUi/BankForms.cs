using System.Collections.Generic;
using System.Linq;
using System.Text;
using FinqLink.Sandbox.Pay;
using static FinqLink.Sandbox.WebUi.PageLayout;

namespace FinqLink.Sandbox.WebUi;

/// <summary>
/// One section per bank the link or consent allows, each asking only for that bank's login (a customer ID for
/// Raiffeisen; user name, password and PIN for Banca Transilvania; …), then a separate form to decline.
/// </summary>
public static class BankForms
{
    public static string For(string action, IEnumerable<string> providerIds, string approveWords, string declineWords)
    {
        var banks = providerIds.Select(id => ProviderCatalog.Find(id)!).ToList();
        var html = new StringBuilder(banks.Count > 1 ? "<p>Choose your bank:</p>" : "");
        foreach (var bank in banks)
        {
            html.Append(banks.Count == 1 ? "<details open>" : "<details name=bank>")
                .Append($"<summary>{E(bank.Name)}</summary>")
                .Append($"<form method=post action=\"{E(action)}\"><input type=hidden name=provider_id value=\"{E(bank.ProviderId)}\">");
            foreach (var credential in bank.Credentials)
                html.Append($"<label>{E(credential.Label)}<input name={credential.Field} {Autocomplete(credential)} required></label>");
            html.Append($"<p class=muted>Test login: {E(string.Join(", ", bank.Credentials.Select(c => $"{c.Label} {c.TestValue}")))}</p>")
                .Append($"<button name=action value=approve>{E(approveWords)}</button></form></details>");
        }
        return html.Append($"<form method=post action=\"{E(action)}\"><button class=secondary name=action value=reject>{E(declineWords)}</button></form>")
            .Append("<p class=muted>To test another outcome, end the user name or customer ID with +failed, +funds_rejected, +suspended, … (see the sandbox's README).</p>")
            .ToString();
    }

    private static string Autocomplete(Credential credential) =>
        credential.IsSecret ? "type=password autocomplete=off" : "autocomplete=username autocapitalize=none";
}
