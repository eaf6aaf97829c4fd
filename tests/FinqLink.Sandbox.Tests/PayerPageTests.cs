using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;

namespace FinqLink.Sandbox.Tests;

/// <summary>The pages a payer or account holder sees: only their bank's login, their words, and a layout that fits a phone.</summary>
public sealed class PayerPageTests : IClassFixture<SandboxFixture>
{
    private static readonly (string Bank, string[] Fields)[] Logins =
    {
        ("rzb_ro", new[] { "psu_id" }), ("bt_ro", new[] { "username", "password", "pin" }),
        ("cec_ro", new[] { "username", "password" }), ("libra_ro", new[] { "username", "password" }),
    };
    private readonly SandboxFixture _f;

    public PayerPageTests(SandboxFixture fixture) => _f = fixture;

    private async Task<string> PayPage(JsonObject? paymentMethod = null, string flow = "link")
    {
        var body = SandboxFixture.Transfer("1234.56");
        body["single_transfer"]!["remittance_information"] = "Invoice 2026-0058 ref RO10RZBR0000069999999970INV20260058ACMESRLCONTRACT2026000123";
        body["payment_method"] = paymentMethod ?? new JsonObject();
        body["options"] = new JsonObject { ["type"] = flow };
        var link = (await _f.Post("/v2/links/create", body)).Body;
        return flow == "link" ? (string)link["web_url"]! : (string)(await _f.Post("/v2/links/get", new JsonObject { ["link_id"] = link["link_id"]!.DeepClone() })).Body["web_url"]!;
    }

    /// <summary>Each bank's section of the page and the input names in it.</summary>
    private static (string Bank, string[] Inputs)[] Sections(string html) => Regex.Matches(html, "<details.*?</details>", RegexOptions.Singleline)
        .Select(m => (Regex.Match(m.Value, "name=provider_id value=\"([^\"]+)\"").Groups[1].Value,
            Regex.Matches(m.Value, "<input name=(\\w+)").Select(i => i.Groups[1].Value).ToArray()))
        .ToArray();

    private static string VisibleText(string html) => WebUtility.HtmlDecode(Regex.Replace(Regex.Replace(html, "<(style|title)>.*?</\\1>", "", RegexOptions.Singleline), "<[^>]+>", " "));

    [Fact]
    public async Task Each_bank_asks_only_for_its_own_login()
    {
        var sections = Sections(await _f.Http.GetStringAsync(await PayPage()));
        Assert.Equal(Logins.Select(l => l.Bank), sections.Select(s => s.Bank));
        foreach (var (bank, fields) in Logins) Assert.Equal(fields, sections.Single(s => s.Bank == bank).Inputs);

        var fixedBank = Sections(await _f.Http.GetStringAsync(await PayPage(new JsonObject { ["provider_id"] = "cec_ro" }, "wrapped_sca")));
        Assert.Equal("cec_ro", fixedBank.Single().Bank);
        Assert.Equal(new[] { "username", "password" }, fixedBank.Single().Inputs);
    }

    [Fact]
    public async Task The_pages_speak_the_payers_language()
    {
        var pay = VisibleText(await _f.Http.GetStringAsync(await PayPage()));
        Assert.Contains("1234.56 RON", pay);
        Assert.Contains("Customer ID", pay);
        Assert.Contains("Waiting for you to choose your bank", pay);
        var consent = (string)(await _f.Post("/v2/ais/consents/create", new JsonObject())).Body["web_url"]!;
        var share = VisibleText(await _f.Http.GetStringAsync(consent));
        Assert.Contains("asks to see your accounts, balances and transactions for 90 days", share);
        foreach (var text in new[] { pay, share })
            foreach (var jargon in new[] { "psu_id", "Status:", "started", "created", "provider_id", "web_id" })
                Assert.DoesNotContain(jargon, text);
    }

    [Theory]
    [InlineData("pay")]
    [InlineData("consent")]
    public async Task At_phone_width_the_page_has_a_viewport_and_no_sideways_scrolling(string page)
    {
        var url = page == "pay" ? await PayPage() : (string)(await _f.Post("/v2/ais/consents/create", new JsonObject())).Body["web_url"]!;
        await using var browser = await HeadlessChromium.Start();
        await browser.EmulatePhone(375, 812);
        await browser.Open(url);
        Assert.Equal(true, (bool?)await browser.Evaluate("!!document.querySelector('meta[name=viewport]')"));
        Assert.Equal(375, (int?)await browser.Evaluate("innerWidth"));
        // Every bank's section opened in turn: the widest layout must still fit.
        var widest = (int?)await browser.Evaluate(
            "(() => { let w = document.documentElement.scrollWidth; for (const d of document.querySelectorAll('details')) { d.open = true; w = Math.max(w, document.documentElement.scrollWidth); } return w; })()");
        Assert.True(widest <= 375, $"the page is {widest} px wide at 375 px: it scrolls sideways");
        Assert.True((int?)await browser.Evaluate("parseFloat(getComputedStyle(document.querySelector('input:not([type=hidden])')).fontSize)") >= 16,
            "inputs below 16 px make phones zoom in");
        await browser.Evaluate("document.querySelector('details').open = true");
        var screenshot = Path.Combine(AppContext.BaseDirectory, "screenshots", $"{page}-page-375px.png");
        await browser.Screenshot(screenshot);
        Assert.True(new FileInfo(screenshot).Length > 1000);
    }
}
