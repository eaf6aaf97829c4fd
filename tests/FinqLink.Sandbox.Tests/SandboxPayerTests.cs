using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using FinqLink.Sandbox;
using FinqLink.Testing;
using Xunit;

namespace FinqLink.Sandbox.Tests;

/// <summary>The payer's and PSU's side: the WebUI pages a person uses, and webhook deliveries with retries.</summary>
public sealed class SandboxPayerTests : IAsyncLifetime
{
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false });
    private SandboxHost _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxHost.StartAsync(new SandboxOptions
    {
        BankStepDelay = TimeSpan.FromMilliseconds(10), JobStepDelay = TimeSpan.FromMilliseconds(10),
    });

    private async Task<JsonObject> Api(string resource, JsonObject body) => (await _http.PostJson(_sandbox.BaseUrl + "/v2/" + resource, body)).Body;

    private Task<JsonObject> CreateLink(string remittance, string? webhookUrl = null) => Api("links/create", new JsonObject
    {
        ["single_transfer"] = new JsonObject
        {
            ["amount"] = "99.90", ["currency"] = "RON", ["remittance_information"] = remittance,
            ["creditor"] = new JsonObject { ["name"] = "ACME SRL", ["iban"] = "RO10RZBR0000069999999970" },
        },
        ["options"] = new JsonObject { ["type"] = "link", ["webhook_url"] = webhookUrl },
    });

    /// <summary>Fetches a page as a browser would and submits its form with <paramref name="fields"/>.</summary>
    private async Task<(HttpStatusCode Status, string Html)> SubmitForm(string pageUrl, Dictionary<string, string> fields)
    {
        var page = await _http.GetStringAsync(pageUrl);
        var action = Regex.Match(page, "<form method=post action=\"([^\"]+)\"").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(action), "the page has no form: " + page);
        foreach (var name in fields.Keys.Where(k => k != "action"))
            Assert.Matches($"name={name}[ >]", page);
        using var response = await _http.PostAsync(new Uri(new Uri(pageUrl), WebUtility.HtmlDecode(action)), new FormUrlEncodedContent(fields));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<string> WaitForStatus(string resource, JsonObject body, params string[] finals)
    {
        var status = "";
        await SandboxHttp.Until(async () =>
        {
            status = (string)(await Api(resource, (JsonObject)body.DeepClone()))["status"]!;
            return Array.IndexOf(finals, status) >= 0;
        }, $"{resource} to reach {string.Join("/", finals)}");
        return status;
    }

    [Fact]
    public async Task A_payer_approves_on_the_web_page_with_the_banks_test_credentials_after_a_failed_login()
    {
        var link = await CreateLink("Invoice WEB-1");
        var webUrl = (string)link["web_url"]!;
        var page = await _http.GetStringAsync(webUrl);
        Assert.Contains("99.90 RON", page);
        Assert.Contains("Invoice WEB-1", page);
        Assert.Contains("<input type=hidden name=provider_id value=\"rzb_ro\">", page);

        var wrong = await SubmitForm(webUrl, new() { ["provider_id"] = "rzb_ro", ["psu_id"] = "1234", ["action"] = "approve" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        Assert.Contains("did not accept these details", wrong.Html);
        Assert.NotEqual("completed", (string)(await Api("links/get", new JsonObject { ["link_id"] = link["link_id"]!.DeepClone() }))["status"]!);

        var right = await SubmitForm(webUrl, new() { ["provider_id"] = "rzb_ro", ["psu_id"] = "9999999998", ["action"] = "approve" });
        Assert.Equal(HttpStatusCode.OK, right.Status);
        Assert.Contains("Approved", right.Html);
        Assert.Equal("completed", await WaitForStatus("links/get", new JsonObject { ["link_id"] = link["link_id"]!.DeepClone() }, "completed", "failed"));
        var closed = await _http.GetStringAsync(webUrl);
        Assert.Contains("Paid. Thank you!", closed);
        Assert.DoesNotContain("<form", closed);
    }

    [Fact]
    public async Task A_payer_who_rejects_on_the_web_page_fails_the_link()
    {
        var link = await CreateLink("Invoice WEB-2");
        var rejected = await SubmitForm((string)link["web_url"]!, new() { ["action"] = "reject" });
        Assert.Contains("You declined", rejected.Html);
        Assert.Equal("failed", await WaitForStatus("links/get", new JsonObject { ["link_id"] = link["link_id"]!.DeepClone() }, "completed", "failed"));
    }

    [Fact]
    public async Task A_psu_grants_a_consent_on_the_web_page()
    {
        var consent = await Api("ais/consents/create", new JsonObject
        {
            ["ais_method"] = new JsonObject { ["provider_id"] = "bt_ro" },
            ["consent"] = new JsonObject { ["scope"] = new JsonArray("accounts", "balances", "transactions") },
        });
        var webUrl = (string)consent["web_url"]!;
        Assert.Contains("accounts, balances and transactions", await _http.GetStringAsync(webUrl));
        var approved = await SubmitForm(webUrl, new() { ["provider_id"] = "bt_ro", ["username"] = "testbt", ["password"] = "testbt", ["pin"] = "1234567", ["action"] = "approve" });
        Assert.Equal(HttpStatusCode.OK, approved.Status);
        Assert.Equal("active", await WaitForStatus("ais/consents/get", new JsonObject { ["consent_id"] = consent["consent_id"]!.DeepClone() }, "active", "failed"));
    }

    [Fact]
    public async Task Webhooks_answered_with_500_are_retried_with_growing_delays_until_accepted()
    {
        var retryDelay = TimeSpan.FromMilliseconds(100);
        _sandbox.Control.Webhooks.RetryDelay = retryDelay;
        using var receiver = new WebhookReceiver(failFirst: 2);
        var link = await CreateLink("Invoice HOOK-1", receiver.Url);
        _sandbox.Control.SetLinkStatus((string)link["link_id"]!, "failed");
        receiver.Next(_ => true, TimeSpan.FromSeconds(10));

        var attempts = receiver.All.Where(r => Encoding.UTF8.GetString(r.Body).Contains((string)link["link_id"]!)).OrderBy(r => r.At).ToArray();
        Assert.Equal(new[] { 500, 500, 204 }, attempts.Select(a => a.AnsweredStatus));
        Assert.Single(attempts.Select(a => Encoding.UTF8.GetString(a.Body)).Distinct());
        Assert.Single(attempts.Select(a => a.Headers["x-signature"]).Distinct());
        Assert.True(attempts[1].At - attempts[0].At >= retryDelay * 0.9, "the first retry came too early");
        Assert.True(attempts[2].At - attempts[1].At >= retryDelay * 1.9, "the delay should double");

        // The receiver records its 204 before the sandbox has read it: the log says delivered a moment later.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        var logged = _sandbox.Control.WebhookLog.Single(d => d.Body.Contains((string)link["link_id"]!));
        while (!logged.Delivered && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
            logged = _sandbox.Control.WebhookLog.Single(d => d.Body.Contains((string)link["link_id"]!));
        }
        Assert.Equal(3, logged.Attempts);
        Assert.True(logged.Delivered);
        Assert.Equal(204, logged.LastStatus);
    }

    [Fact]
    public async Task A_webhook_is_sent_up_to_eight_times_so_the_eighth_answer_still_counts()
    {
        _sandbox.Control.Webhooks.RetryDelay = TimeSpan.FromMilliseconds(5); // the seven waits: 5 ms doubling, 635 ms in all
        using var receiver = new WebhookReceiver(failFirst: 7);
        var link = await CreateLink("Invoice HOOK-8", receiver.Url);
        _sandbox.Control.SetLinkStatus((string)link["link_id"]!, "failed");
        receiver.Next(_ => true, TimeSpan.FromSeconds(30));

        var answers = receiver.All.Where(r => Encoding.UTF8.GetString(r.Body).Contains((string)link["link_id"]!)).OrderBy(r => r.At).Select(r => r.AnsweredStatus);
        Assert.Equal(Enumerable.Repeat(500, 7).Append(204), answers);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _sandbox.DisposeAsync();
    }
}
