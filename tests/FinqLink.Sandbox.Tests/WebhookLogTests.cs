using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using FinqLink.Testing;
using Xunit;

namespace FinqLink.Sandbox.Tests;

/// <summary>GET /sandbox/webhooks/log: every delivery attempt with its transition, answer, duration and key, read as a tail.</summary>
public sealed class WebhookLogTests : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SandboxFixture _f;
    private readonly WebhookReceiver _receiver = new();

    public WebhookLogTests(SandboxFixture fixture) => _f = fixture;

    private async Task<string> Link(string webhookUrl)
    {
        var body = SandboxFixture.Transfer();
        body["options"] = new JsonObject { ["webhook_url"] = webhookUrl };
        return (string)(await _f.Post("/v2/links/create", body)).Body["link_id"]!;
    }

    private async Task<JsonObject> Log(string query) => (JsonObject)await _f.Get("/sandbox/webhooks/log?" + query);

    /// <summary>Reads the log of <paramref name="id"/> as a tail (each read waits for the next attempt) until <paramref name="done"/> holds.</summary>
    private async Task<List<JsonObject>> Until(string id, Func<List<JsonObject>, bool> done)
    {
        var entries = new List<JsonObject>();
        long after = 0;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!done(entries))
        {
            Assert.True(DateTime.UtcNow < deadline, "the log never showed what was expected");
            var page = await Log($"id={id}&after={after}&wait_ms=10000");
            entries.AddRange(page["entries"]!.AsArray().Select(e => e!.AsObject()));
            after = (long)page["last"]!;
        }
        return entries;
    }

    [Fact]
    public async Task A_paid_link_logs_each_status_change_once_with_its_transition_answer_and_key()
    {
        var id = await Link(_receiver.Url);
        _f.Sandbox.Control.ApproveLink(id, "bt_ro");
        var transitions = new[] { "created>started", "started>requested", "requested>intent_accepted", "intent_accepted>awaiting_authz", "awaiting_authz>received", "received>submitted", "submitted>completed" };
        // Deliveries run side by side and are logged as they end, so 'completed' can come before an earlier change's entry.
        var entries = await Until(id, e => e.Count >= transitions.Length);
        Assert.Equal(transitions, entries.OrderBy(e => (long)e["delivery_id"]!).Select(e => $"{e["from_status"]}>{e["status"]}"));
        foreach (var e in entries)
        {
            Assert.Equal("link_status_update", (string?)e["type"]);
            Assert.Equal(id, (string?)e["link_id"]);
            Assert.Null(e["consent_id"]);
            Assert.Equal(_receiver.Url, (string?)e["url"]);
            Assert.Equal(204, (int?)e["http_status"]);
            Assert.Null(e["error"]);
            Assert.Equal(1, (int)e["attempt"]!);
            Assert.Equal(_f.Sandbox.Control.Keys.CurrentKid, (string?)e["kid"]);
            Assert.True((double)e["duration_ms"]! >= 0);
            Assert.True(DateTimeOffset.TryParse((string)e["at"]!, CultureInfo.InvariantCulture, DateTimeStyles.None, out _));
            Assert.Equal((string?)e["status"], (string?)JsonNode.Parse((string)e["body"]!)!["status"]);
        }
        Assert.Empty((await Log($"id={id}&after={(long)(await Log("after=0"))["last"]!}"))["entries"]!.AsArray());
    }

    [Fact]
    public async Task Each_retry_is_its_own_entry_and_a_refused_connection_says_refused()
    {
        using var failing = new WebhookReceiver(failFirst: 2);
        var id = await Link(failing.Url);
        await _f.Control("webhooks/trigger", new JsonObject { ["type"] = "link_status_update", ["id"] = id });
        var entries = await Until(id, e => e.Any(x => (int?)x["http_status"] == 204));
        Assert.Equal(new[] { "1:500", "2:500", "3:204" }, entries.Select(e => $"{e["attempt"]}:{e["http_status"]}"));
        Assert.All(entries, e => Assert.Equal("created>created", $"{e["from_status"]}>{e["status"]}"));

        var refused = await Link("http://127.0.0.1:9/refused/");
        await _f.Control("webhooks/trigger", new JsonObject { ["type"] = "link_status_update", ["id"] = refused, ["status"] = "revoked" });
        var first = (await Until(refused, e => e.Count > 0))[0];
        Assert.Null(first["http_status"]);
        Assert.Equal("refused", (string?)first["error"]);
        Assert.Equal("created>revoked", $"{first["from_status"]}>{first["status"]}");
    }

    [Fact]
    public async Task A_delivery_is_pending_until_its_first_attempt_ends()
    {
        // A receiver that accepts the connection and never answers holds the first attempt open.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var id = await Link($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/silent/");
        await _f.Control("webhooks/trigger", new JsonObject { ["type"] = "link_status_update", ["id"] = id });
        using var held = await silent.AcceptSocketAsync();
        var page = await Log($"id={id}");
        Assert.Equal(1, (int)page["pending"]!);
        Assert.Empty(page["entries"]!.AsArray());
        held.Close();
        var entry = (await Until(id, e => e.Count > 0))[0];
        Assert.Equal("error", (string?)entry["error"]);
        Assert.Equal(0, (int)(await Log($"id={id}"))["pending"]!);
    }

    [Fact]
    public async Task A_waiting_reader_gets_the_next_attempt_as_soon_as_it_ends()
    {
        var id = await Link(_receiver.Url);
        var last = (long)(await Log("after=0"))["last"]!;
        var waiting = Log($"id={id}&after={last}&wait_ms=30000");
        await _f.Control("webhooks/trigger", new JsonObject { ["type"] = "link_status_update", ["id"] = id });
        var page = await waiting;
        Assert.Equal(id, (string?)page["entries"]!.AsArray().Single()!["link_id"]);
        Assert.True((long)page["last"]! > last);
    }

    [Theory]
    [InlineData("after=-1")]
    [InlineData("after=x")]
    [InlineData("wait_ms=30001")]
    public async Task Bad_query_values_are_400(string query)
    {
        using var response = await _f.Http.GetAsync(_f.Sandbox.BaseUrl + "/sandbox/webhooks/log?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        RoutingTests.AssertErrorShape(JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject(), "validation_error");
    }

    [Fact]
    public async Task The_sink_takes_any_webhook()
    {
        using var content = new System.Net.Http.StringContent("{\"type\":\"link_status_update\"}");
        using var response = await _f.Http.PostAsync(_f.Sandbox.BaseUrl + "/sandbox/webhooks/sink", content);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    public void Dispose() => _receiver.Dispose();
}
