using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using FinqLink.Testing;
using Xunit;

namespace FinqLink.Sandbox.Tests;

/// <summary>The link, consent and job state machines as the docs describe them, and the scripted scenarios that reach every documented ending.</summary>
public sealed class StateMachineTests : IClassFixture<SandboxFixture>, IDisposable
{
    private static readonly string[] PaidPath = { "started", "requested", "intent_accepted", "awaiting_authz", "received", "submitted", "completed" };
    private readonly SandboxFixture _f;
    private readonly WebhookReceiver _receiver = new();

    public StateMachineTests(SandboxFixture fixture) => _f = fixture;

    private async Task<string> CreateLink(string providerId)
    {
        var body = SandboxFixture.Transfer();
        body["payment_method"] = new JsonObject { ["provider_id"] = providerId };
        body["options"] = new JsonObject { ["webhook_url"] = _receiver.Url };
        return (string)(await _f.Post("/v2/links/create", body)).Body["link_id"]!;
    }

    private async Task<JsonObject> CreateConsent(string flowType, string providerId = "bt_ro")
    {
        var (status, body) = await _f.Post("/v2/ais/consents/create", new JsonObject
        {
            ["ais_method"] = new JsonObject { ["provider_id"] = providerId },
            ["options"] = new JsonObject { ["type"] = flowType, ["webhook_url"] = _receiver.Url, ["redirect_url"] = "https://app.example/back" },
        });
        Assert.Equal(HttpStatusCode.OK, status);
        return body;
    }

    /// <summary>The statuses the sandbox sent webhooks for, for one object, in the order it sent them.</summary>
    private List<string> Webhooks(string id) => _f.Sandbox.Control.WebhookLog.Where(d => d.Body.Contains(id)).OrderBy(d => d.Id)
        .Select(d => (string)JsonNode.Parse(d.Body)!["status"]!).ToList();

    /// <summary>
    /// <see cref="Webhooks"/> once the sandbox has sent the webhook for <paramref name="last"/>: it sends it just after the
    /// status changes, so a status read first does not mean its webhook is in the log yet.
    /// </summary>
    private async Task<List<string>> WebhooksThrough(string id, string last)
    {
        await SandboxHttp.Until(() => Task.FromResult(Webhooks(id).Contains(last)), $"the {last} webhook of {id}");
        return Webhooks(id);
    }

    private Task<string?> LinkStatus(string id) => _f.Status("/v2/links/get", new JsonObject { ["link_id"] = id });
    private Task<string?> ConsentStatus(string id) => _f.Status("/v2/ais/consents/get", new JsonObject { ["consent_id"] = id });

    private static Task Until(Func<Task<string?>> status, string expected) => SandboxHttp.Until(async () => await status() == expected, "status " + expected);

    /// <summary>Waits until no bank-side sequence is under way: after that no further status can come.</summary>
    private Task Settle() => SandboxHttp.Until(() => Task.FromResult(_f.Sandbox.Control.BankStepsRunning == 0), "the bank's steps to end");

    [Fact]
    public async Task A_libra_link_goes_on_from_completed_to_funds_received_with_a_webhook_for_each_status()
    {
        var id = await CreateLink("libra_ro");
        _f.Sandbox.Control.ApproveLink(id);
        await Until(() => LinkStatus(id), "funds_received");
        Assert.Equal(PaidPath.Append("funds_received"), await WebhooksThrough(id, "funds_received"));
    }

    [Fact]
    public async Task Other_providers_stop_at_completed_unless_the_sandbox_is_told_they_confirm_funds()
    {
        var bt = await CreateLink("bt_ro");
        _f.Sandbox.Control.ApproveLink(bt);
        await Until(() => LinkStatus(bt), "completed");
        await Settle();
        Assert.Equal("completed", await LinkStatus(bt));
        Assert.Equal(PaidPath, await WebhooksThrough(bt, "completed"));

        Assert.Equal(HttpStatusCode.OK, (await _f.Control("settings", new JsonObject { ["funds_confirmation_providers"] = new JsonArray("libra_ro", "cec_ro") })).Status);
        try
        {
            var cec = await CreateLink("cec_ro");
            _f.Sandbox.Control.ApproveLink(cec);
            await Until(() => LinkStatus(cec), "funds_received");
        }
        finally { await _f.Control("settings", new JsonObject { ["funds_confirmation_providers"] = new JsonArray("libra_ro") }); }
    }

    [Theory]
    [InlineData("bt_ro", "funds_rejected", new[] { "completed", "funds_rejected" })]
    [InlineData("libra_ro", "funds_rejected", new[] { "completed", "funds_rejected" })]
    [InlineData("rzb_ro", "funds_received", new[] { "completed", "funds_received" })]
    [InlineData("libra_ro", "failed", new[] { "awaiting_authz", "failed" })]
    public async Task A_payers_scenario_scripts_how_the_bank_ends_a_link(string providerId, string scenario, string[] ending)
    {
        var id = await CreateLink(providerId);
        var (status, _) = await _f.Control($"links/{id}/approve", new JsonObject { ["scenario"] = scenario });
        Assert.Equal(HttpStatusCode.OK, status);
        await Until(() => LinkStatus(id), ending[^1]);
        await Settle();
        Assert.Equal(ending, (await WebhooksThrough(id, ending[^1])).TakeLast(2));
        Assert.Equal(ending[^1], await LinkStatus(id));
    }

    [Theory]
    [InlineData("link", true)]
    [InlineData("wrapped_sca", true)]
    [InlineData("redirect_sca", false)]
    public async Task Only_link_and_wrapped_sca_consents_pass_through_awaiting_authz(string flowType, bool passes)
    {
        var id = (string)(await CreateConsent(flowType))["consent_id"]!;
        _f.Sandbox.Control.ApproveConsent(id);
        await Until(() => ConsentStatus(id), "active");
        var statuses = await WebhooksThrough(id, "active");
        Assert.Equal(passes, statuses.Contains("awaiting_authz"));
        Assert.Equal(passes ? new[] { "awaiting_authz", "authorized", "active" } : new[] { "authorized", "active" }, statuses.TakeLast(passes ? 3 : 2));
    }

    [Fact]
    public async Task A_direct_sca_consent_waits_for_the_apps_redirect_without_awaiting_authz()
    {
        var id = (string)(await CreateConsent("direct_sca"))["consent_id"]!;
        var code = _f.Sandbox.Control.ApproveConsent(id);
        Assert.False(string.IsNullOrEmpty(code));
        await Settle();
        Assert.Equal("sca_url_retrieved", await ConsentStatus(id));
        var (status, done) = await _f.Post("/v2/ais/consents/redirect", new JsonObject { ["consent_id"] = id, ["code"] = code });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("active", (string)done["status"]!);
        Assert.Equal(new[] { "authorized", "active" }, await WebhooksThrough(id, "active"));
    }

    [Fact]
    public async Task A_suspended_scenario_activates_the_consent_then_the_bank_suspends_it()
    {
        var id = (string)(await CreateConsent("link"))["consent_id"]!;
        _f.Sandbox.Control.ApproveConsent(id, "bt_ro", "suspended");
        await Until(() => ConsentStatus(id), "suspended");
        Assert.Equal(new[] { "authorized", "active", "suspended" }, (await WebhooksThrough(id, "suspended")).TakeLast(3));
        Assert.Equal("consent_not_active", (string)(await _f.Post("/v2/ais/accounts/list", new JsonObject { ["consent_id"] = id })).Body["code"]!);
    }

    [Fact]
    public async Task A_failed_scenario_fails_the_consent_at_the_bank()
    {
        var id = (string)(await CreateConsent("link"))["consent_id"]!;
        _f.Sandbox.Control.ApproveConsent(id, null, "failed");
        await Until(() => ConsentStatus(id), "failed");
        Assert.Equal(new[] { "awaiting_authz", "failed" }, (await WebhooksThrough(id, "failed")).TakeLast(2));
    }

    [Theory]
    [InlineData(null, new[] { "accounts_ready", "balances_ready", "transactions_fetching", "job_completed" }, 2, 4, 5)]
    [InlineData("job_partially_completed", new[] { "accounts_ready", "balances_ready", "transactions_fetching", "job_partially_completed" }, 2, 4, 0)]
    [InlineData("job_failed", new[] { "job_failed" }, 0, 0, 0)]
    public async Task The_consents_scenario_scripts_how_its_refresh_jobs_end(string? scenario, string[] path, int accounts, int balances, int newTransactions)
    {
        var id = (string)(await CreateConsent("link", "cec_ro"))["consent_id"]!;
        _f.Sandbox.Control.ApproveConsent(id, null, scenario);
        await Until(() => ConsentStatus(id), "active");
        var job = (string)(await _f.Post("/v2/ais/jobs/create", new JsonObject { ["consent_id"] = id })).Body["job_id"]!;
        var get = new JsonObject { ["consent_id"] = id, ["job_id"] = job };
        await Until(() => _f.Status("/v2/ais/jobs/get", (JsonObject)get.DeepClone()), path[^1]);
        Assert.Equal(path, await WebhooksThrough(job, path[^1]));
        var results = (await _f.Post("/v2/ais/jobs/get", get)).Body["results"]!;
        Assert.Equal((accounts, balances, newTransactions), ((int)results["accounts"]!, (int)results["balances"]!, (int)results["new_transactions"]!));
    }

    [Theory]
    [InlineData("pay", "rzb_ro", "psu_id", "9999999998+funds_rejected", "funds_rejected")]
    [InlineData("pay", "bt_ro", "username", "testbt+failed", "failed")]
    [InlineData("consent", "bt_ro", "username", "testbt+suspended", "suspended")]
    public async Task On_the_web_page_the_login_suffix_scripts_the_scenario(string page, string providerId, string field, string login, string ending)
    {
        string id, webUrl;
        if (page == "pay")
        {
            id = await CreateLink(providerId);
            webUrl = (string)(await _f.Post("/v2/links/get", new JsonObject { ["link_id"] = id })).Body["web_url"]!;
        }
        else
        {
            var consent = await CreateConsent("link", providerId);
            (id, webUrl) = ((string)consent["consent_id"]!, (string)consent["web_url"]!);
        }
        var html = await _f.Http.GetStringAsync(webUrl);
        var action = Regex.Match(html, "<form method=post action=\"([^\"]+)\"").Groups[1].Value;
        var fields = new Dictionary<string, string> { ["provider_id"] = providerId, ["action"] = "approve", [field] = login };
        foreach (var (name, value) in new[] { ("password", "testbt"), ("pin", "1234567") })
            if (providerId == "bt_ro") fields[name] = value;
        using var response = await _f.Http.PostAsync(new Uri(new Uri(webUrl), WebUtility.HtmlDecode(action)), new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Until(() => page == "pay" ? LinkStatus(id) : ConsentStatus(id), ending);
    }

    [Fact]
    public async Task An_unknown_scenario_is_a_validation_error()
    {
        var link = await CreateLink("bt_ro");
        var (status, error) = await _f.Control($"links/{link}/approve", new JsonObject { ["scenario"] = "suspended" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("scenario", (string)error["message"]!);
        Assert.Equal("created", await LinkStatus(link));
    }

    public void Dispose() => _receiver.Dispose();
}
