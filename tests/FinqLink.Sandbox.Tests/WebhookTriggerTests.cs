using System;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using FinqLink.Testing;
using Xunit;

namespace FinqLink.Sandbox.Tests;

/// <summary>POST /sandbox/webhooks/trigger: any documented webhook on demand, signed with the current key, for an object's URL or another.</summary>
public sealed class WebhookTriggerTests : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SandboxFixture _f;
    private readonly WebhookReceiver _receiver = new();
    private readonly WebhookReceiver _elsewhere = new();

    public WebhookTriggerTests(SandboxFixture fixture) => _f = fixture;

    private async Task<(string LinkId, string WebId)> Link()
    {
        var body = SandboxFixture.Transfer();
        body["options"] = new JsonObject { ["webhook_url"] = _receiver.Url };
        var link = (await _f.Post("/v2/links/create", body)).Body;
        return ((string)link["link_id"]!, (string)link["web_id"]!);
    }

    /// <summary>Triggers, then receives the delivery, checks its signature against the JWKS and returns its body.</summary>
    private async Task<JsonObject> TriggerAndReceive(JsonObject trigger, WebhookReceiver receiver)
    {
        var (status, answer) = await _f.Control("webhooks/trigger", trigger);
        Assert.True(status == HttpStatusCode.OK, answer.ToJsonString());
        var deliveryId = (long)answer["delivery_id"]!;
        var received = receiver.Next(r => Encoding.UTF8.GetString(r.Body) == (string)answer["body"]!, TimeSpan.FromSeconds(10));
        var jwks = (await _f.Get("/.well-known/jwks.json"))["keys"]!.AsArray();
        Assert.Equal(_f.Sandbox.Control.Keys.CurrentKid, received.Headers["x-signature-kid"]);
        Assert.True(WebhookSignature.IsValid(jwks, received.Headers["x-signature"], received.Headers["x-signature-kid"], received.Body));
        Assert.Equal(received.Body, Encoding.UTF8.GetBytes(_f.Sandbox.Control.WebhookLog.Single(d => d.Id == deliveryId).Body));
        return JsonNode.Parse(received.Body)!.AsObject();
    }

    [Fact]
    public async Task A_link_status_update_has_exactly_the_documented_fields_and_the_links_status()
    {
        var (linkId, webId) = await Link();
        var payload = await TriggerAndReceive(new JsonObject { ["type"] = "link_status_update", ["id"] = linkId }, _receiver);
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["type"] = "link_status_update", ["link_id"] = linkId, ["web_id"] = webId, ["status"] = "created" }, payload));
        Assert.Equal("created", await _f.Status("/v2/links/get", new JsonObject { ["link_id"] = linkId }));
    }

    [Fact]
    public async Task A_consent_status_update_can_say_another_status_without_changing_the_consent()
    {
        var consent = (await _f.Post("/v2/ais/consents/create", new JsonObject { ["options"] = new JsonObject { ["webhook_url"] = _receiver.Url } })).Body;
        var id = (string)consent["consent_id"]!;
        var payload = await TriggerAndReceive(new JsonObject { ["type"] = "consent_status_update", ["id"] = id, ["status"] = "active" }, _receiver);
        Assert.True(JsonNode.DeepEquals(new JsonObject
        {
            ["type"] = "consent_status_update", ["consent_id"] = id, ["web_id"] = consent["web_id"]!.DeepClone(), ["status"] = "active",
        }, payload));
        Assert.Equal("created", await _f.Status("/v2/ais/consents/get", new JsonObject { ["consent_id"] = id }));
    }

    [Fact]
    public async Task A_job_status_update_goes_to_another_url_when_asked_and_is_signed_with_a_rotated_es256_key()
    {
        var consent = await _f.ActiveConsent("bt_ro");
        var job = (string)(await _f.Post("/v2/ais/jobs/create", new JsonObject { ["consent_id"] = consent })).Body["job_id"]!;
        await _f.Control("keys/rotate", new JsonObject { ["alg"] = "ES256" });
        try
        {
            var payload = await TriggerAndReceive(new JsonObject
            {
                ["type"] = "job_status_update", ["id"] = job, ["status"] = "job_failed", ["url"] = _elsewhere.Url,
            }, _elsewhere);
            Assert.True(JsonNode.DeepEquals(new JsonObject { ["type"] = "job_status_update", ["consent_id"] = consent, ["job_id"] = job, ["status"] = "job_failed" }, payload));
        }
        finally { await _f.Control("keys/rotate", new JsonObject { ["alg"] = "RS256" }); }
    }

    [Theory]
    [InlineData("""{"type":"refund_status_update","id":"x"}""", 400, "validation_error")]
    [InlineData("""{"type":"link_status_update"}""", 400, "validation_error")]
    [InlineData("""{"type":"link_status_update","id":"00000000-0000-4000-8000-000000000000"}""", 404, "not_found")]
    [InlineData("""{"type":"consent_status_update","id":"nope"}""", 404, "consent_not_found")]
    [InlineData("""{"type":"job_status_update","id":"nope"}""", 404, "job_not_found")]
    [InlineData("""{"type":"link_status_update","id":"{link}","status":"paid"}""", 400, "validation_error")]
    [InlineData("""{"type":"link_status_update","id":"{link}","url":"ftp://example/"}""", 400, "validation_error")]
    [InlineData("""{"type":"link_status_update","id":"{bare}"}""", 400, "validation_error")]
    [InlineData("""{"type":"link_status_update","id":"{link}","signed":true}""", 400, "validation_error")]
    public async Task A_trigger_that_cannot_be_sent_says_why_and_sends_nothing(string body, int status, string code)
    {
        var (link, _) = await Link();
        var bare = (string)(await _f.Post("/v2/links/create", SandboxFixture.Transfer())).Body["link_id"]!;
        var sent = _f.Sandbox.Control.WebhookLog.Count;
        var (answered, error) = await _f.Control("webhooks/trigger", JsonNode.Parse(body.Replace("{link}", link).Replace("{bare}", bare))!.AsObject());
        Assert.Equal(status, (int)answered);
        RoutingTests.AssertErrorShape(error, code);
        Assert.Equal(sent, _f.Sandbox.Control.WebhookLog.Count);
    }

    public void Dispose()
    {
        _receiver.Dispose();
        _elsewhere.Dispose();
    }
}
