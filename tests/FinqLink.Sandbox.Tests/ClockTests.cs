using System;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using FinqLink.Sandbox.Api;
using Xunit;

namespace FinqLink.Sandbox.Tests;

/// <summary>The sandbox clock: an offset (clock skew) and jumps forward, through the control API and --clock-offset; everything time-based follows it.</summary>
public sealed class ClockTests : IClassFixture<SandboxFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(5);
    private readonly SandboxFixture _f;

    public ClockTests(SandboxFixture fixture) => _f = fixture;

    public async Task InitializeAsync() => Assert.Equal(HttpStatusCode.OK, (await _f.Control("clock", new JsonObject { ["offset_seconds"] = 0 })).Status);

    public Task DisposeAsync() => Task.CompletedTask;

    private static DateTimeOffset Time(JsonNode? node) => DateTimeOffset.ParseExact((string)node!, "yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static void AssertNear(DateTimeOffset expected, DateTimeOffset actual, string what) =>
        Assert.True((actual - expected).Duration() <= Slack, $"{what}: {actual:O} is not within {Slack} of {expected:O}");

    [Theory]
    [InlineData(-300)]
    [InlineData(4)]
    public async Task An_offset_skews_created_at_expires_at_and_the_date_header_alike(int seconds)
    {
        var (status, clock) = await _f.Control("clock", new JsonObject { ["offset_seconds"] = seconds });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(seconds, (int)clock["offset_seconds"]!);
        var skewedNow = DateTimeOffset.UtcNow.AddSeconds(seconds);
        AssertNear(skewedNow, Time(clock["now"]), "clock.now");

        using var response = await _f.Http.PostAsync(_f.Sandbox.BaseUrl + "/v2/links/create",
            new StringContent(Credentials(SandboxFixture.Transfer()).ToJsonString(), Encoding.UTF8, "application/json"));
        var link = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        AssertNear(skewedNow, Time(link["created_at"]), "created_at");
        Assert.Equal(TimeSpan.FromDays(7), Time(link["expires_at"]) - Time(link["created_at"]));
        AssertNear(skewedNow, response.Headers.Date!.Value, "the Date header");

        var listed = (await _f.Post("/v2/links/list", new JsonObject { ["pagination"] = new JsonObject { ["limit"] = 1 } })).Body["links"]![0]!;
        Assert.Equal((string)link["created_at"]!, (string)listed["created_at"]!);
        var since = (await _f.Post("/v2/links/list", new JsonObject
        {
            ["filter"] = new JsonObject { ["inserted_at_from"] = (string)link["created_at"]! },
        })).Body["links"]!.AsArray();
        Assert.Contains(since, l => (string)l!["link_id"]! == (string)link["link_id"]!);
    }

    [Fact]
    public async Task Advancing_past_a_links_expiry_expires_it_and_refuses_payment()
    {
        var body = SandboxFixture.Transfer();
        body["options"] = new JsonObject { ["expires_in"] = 60 };
        var linkId = (string)(await _f.Post("/v2/links/create", body)).Body["link_id"]!;
        Assert.False((bool)(await _f.Post("/v2/links/get", new JsonObject { ["link_id"] = linkId })).Body["is_expired"]!);

        Assert.Equal(61, (int)(await _f.Control("clock", new JsonObject { ["advance_seconds"] = 61 })).Body["offset_seconds"]!);
        Assert.True((bool)(await _f.Post("/v2/links/get", new JsonObject { ["link_id"] = linkId })).Body["is_expired"]!);
        var (status, error) = await _f.Control($"links/{linkId}/approve");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("link_expired", (string)error["code"]!);
    }

    [Fact]
    public async Task Advancing_expires_a_pending_consent_and_revokes_an_active_one_when_its_validity_ends()
    {
        var pending = (string)(await _f.Post("/v2/ais/consents/create", new JsonObject { ["options"] = new JsonObject { ["expires_in"] = 60 } })).Body["consent_id"]!;
        var active = await _f.ActiveConsent("bt_ro", new JsonObject { ["consent_validity_days"] = 1 });
        var authorizedUntil = Time((await _f.Post("/v2/ais/consents/get", new JsonObject { ["consent_id"] = active })).Body["authorized_until"]);
        AssertNear(DateTimeOffset.UtcNow.AddDays(1), authorizedUntil, "authorized_until");

        await _f.Control("clock", new JsonObject { ["advance_seconds"] = 61 });
        Assert.Equal("expired", await _f.Status("/v2/ais/consents/get", new JsonObject { ["consent_id"] = pending }));
        Assert.Equal("active", await _f.Status("/v2/ais/consents/get", new JsonObject { ["consent_id"] = active }));

        await _f.Control("clock", new JsonObject { ["advance_seconds"] = 86_400 });
        Assert.Equal("revoked", await _f.Status("/v2/ais/consents/get", new JsonObject { ["consent_id"] = active }));
        Assert.Equal("consent_not_active", (string)(await _f.Post("/v2/ais/accounts/list", new JsonObject { ["consent_id"] = active })).Body["code"]!);
    }

    [Fact]
    public async Task Access_tokens_expire_on_the_sandbox_clock()
    {
        var token = await _f.Http.PostAsync(_f.Sandbox.TokenEndpointUrl, new FormUrlEncodedContent(new[]
        {
            KeyValuePair("grant_type", "client_credentials"), KeyValuePair("client_id", "demo"), KeyValuePair("client_secret", "demo-secret"),
        }));
        var answer = JsonNode.Parse(await token.Content.ReadAsStringAsync())!;
        var accessToken = (string)answer["access_token"]!;
        var lifetime = (int)answer["expires_in"]!;
        Assert.Equal(HttpStatusCode.OK, (await _f.Post("/v2/providers/list", new JsonObject { ["client_id"] = "demo" }, accessToken)).Status);

        await _f.Control("clock", new JsonObject { ["advance_seconds"] = lifetime - 10 });
        Assert.Equal(HttpStatusCode.OK, (await _f.Post("/v2/providers/list", new JsonObject { ["client_id"] = "demo" }, accessToken)).Status);
        await _f.Control("clock", new JsonObject { ["advance_seconds"] = 11 });
        Assert.Equal(HttpStatusCode.Unauthorized, (await _f.Post("/v2/providers/list", new JsonObject { ["client_id"] = "demo" }, accessToken)).Status);
    }

    [Fact]
    public async Task The_refresh_cooldown_runs_on_the_sandbox_clock()
    {
        var consent = await _f.ActiveConsent("cec_ro");
        var cooldown = (int)(await _f.Get("/sandbox/settings"))["job_cooldown_seconds"]!;
        Assert.Equal(HttpStatusCode.OK, (await _f.Post("/v2/ais/jobs/create", new JsonObject { ["consent_id"] = consent })).Status);
        var refused = await _f.Post("/v2/ais/jobs/create", new JsonObject { ["consent_id"] = consent });
        Assert.Equal("cooldown_failed", (string)refused.Body["code"]!);

        await _f.Control("clock", new JsonObject { ["advance_seconds"] = cooldown + 1 });
        Assert.Equal(HttpStatusCode.OK, (await _f.Post("/v2/ais/jobs/create", new JsonObject { ["consent_id"] = consent })).Status);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"offset_seconds":1,"advance_seconds":1}""")]
    [InlineData("""{"advance_seconds":-1}""")]
    [InlineData("""{"offset_seconds":1e300}""")]
    [InlineData("""{"offset_seconds":"60"}""")]
    [InlineData("""{"offset_seconds":400000000}""")]
    [InlineData("""{"skew":60}""")]
    public async Task A_wrong_clock_change_is_400_and_moves_nothing(string body)
    {
        await _f.Control("clock", new JsonObject { ["offset_seconds"] = -7 });
        using var response = await _f.Http.PostAsync(_f.Sandbox.BaseUrl + "/sandbox/clock", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        RoutingTests.AssertErrorShape(JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject(), "validation_error");
        Assert.Equal(-7, (int)(await _f.Get("/sandbox/clock"))["offset_seconds"]!);
    }

    [Fact]
    public async Task The_command_line_sets_the_starting_offset()
    {
        var options = SandboxOptions.Parse(new[] { "--clock-offset", "-300" });
        Assert.Equal(TimeSpan.FromMinutes(-5), options.ClockOffset);
        await using var sandbox = await SandboxHost.StartAsync(options);
        AssertNear(DateTimeOffset.UtcNow.AddMinutes(-5), sandbox.Clock.GetUtcNow(), "the sandbox clock");
        Assert.Throws<ArgumentException>(() => SandboxOptions.Parse(new[] { "--clock-offset", "soon" }));
    }

    private static JsonObject Credentials(JsonObject body)
    {
        body["client_id"] = "demo";
        body["client_secret"] = "demo-secret";
        return body;
    }

    private static System.Collections.Generic.KeyValuePair<string, string> KeyValuePair(string key, string value) => new(key, value);
}
