using System;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace FinqLink.Sandbox.Tests;

/// <summary>The sandbox as a server: body limits however the body arrives, aud from its own address, loopback by default, a control API that validates.</summary>
public sealed class HardeningTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _f;

    public HardeningTests(SandboxFixture fixture) => _f = fixture;

    [Theory]
    [InlineData("/v2/providers/list")]
    [InlineData("/sandbox/settings")]
    [InlineData("/oauth2/v1/token")]
    public async Task A_chunked_body_of_10_MiB_is_refused_with_413(string path)
    {
        var form = path.StartsWith("/oauth2", StringComparison.Ordinal);
        var (status, body) = await RawHttp.PostChunked(_f.Sandbox.BaseUrl, path, 10L << 20, form ? "application/x-www-form-urlencoded" : "application/json");
        Assert.Equal(413, status);
        if (form) Assert.Equal("invalid_request", (string)JsonNode.Parse(body)!["error"]!);      // the OAuth2 error shape
        else RoutingTests.AssertErrorShape(JsonNode.Parse(body)!.AsObject(), "bad_request");
    }

    [Fact]
    public async Task A_declared_body_over_1_MiB_is_413_in_the_api_shape()
    {
        // Expect: 100-continue, so the body waits for the server's verdict on the declared length: sent at once, the server
        // answering and closing first can break the pipe under the client before it reads the 413 (seen under load).
        using var request = new HttpRequestMessage(HttpMethod.Post, _f.Sandbox.BaseUrl + "/v2/providers/list") { Content = new ByteArrayContent(new byte[(1 << 20) + 1]) };
        request.Headers.ExpectContinue = true;
        using var response = await _f.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        RoutingTests.AssertErrorShape(JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject(), "bad_request");
    }

    [Fact]
    public async Task The_token_endpoint_expects_its_own_address_as_aud_whatever_the_host_header_says()
    {
        using var client = new Es256Client(_f.Sandbox);
        const string evil = "evil.example";
        var forged = await client.RequestToken(_f.Http, _f.Sandbox.TokenEndpointUrl, client.Assertion($"http://{evil}/oauth2/v1/token"), host: evil);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Contains("aud", await forged.Content.ReadAsStringAsync());
        var genuine = await client.RequestToken(_f.Http, _f.Sandbox.TokenEndpointUrl, client.Assertion(_f.Sandbox.TokenEndpointUrl), host: evil);
        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
    }

    [Fact]
    public async Task A_configured_base_url_is_the_audience_and_the_base_url()
    {
        await using var sandbox = await SandboxHost.StartAsync(SandboxOptions.Parse(new[] { "--urls", "http://127.0.0.1:0", "--base-url", "http://sandbox.test:8080/" }));
        Assert.Equal("http://sandbox.test:8080", sandbox.BaseUrl);
        Assert.Equal("http://sandbox.test:8080/oauth2/v1/token", sandbox.TokenEndpointUrl);
        using var client = new Es256Client(sandbox);
        using var http = new HttpClient();
        var listenUrl = sandbox.Urls[0] + "/oauth2/v1/token";
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.RequestToken(http, listenUrl, client.Assertion(listenUrl))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.RequestToken(http, listenUrl, client.Assertion(sandbox.TokenEndpointUrl))).StatusCode);
    }

    [Theory]
    [InlineData("http://0.0.0.0:5080")]
    [InlineData("http://*:5080")]
    [InlineData("http://+:5080")]
    [InlineData("http://[::]:5080")]
    [InlineData("http://192.168.1.10:5080")]
    [InlineData("http://example.com:5080")]
    public async Task Non_loopback_urls_are_refused_unless_allow_remote_says_so(string url)
    {
        var refused = Assert.Throws<ArgumentException>(() => SandboxOptions.Parse(new[] { "--urls", url }));
        Assert.Contains("--allow-remote", refused.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => SandboxHost.StartAsync(new SandboxOptions { Urls = { url } }));
        Assert.True(SandboxOptions.Parse(new[] { "--urls", url, "--allow-remote" }).AllowRemote);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("http://localhost:5080")]
    [InlineData("http://[::1]:5080")]
    [InlineData("https://127.0.0.2:5443")]
    public void Loopback_urls_need_no_flag(string url)
    {
        var args = url.StartsWith("https", StringComparison.Ordinal) ? new[] { "--urls", url, "--https-certificate", "x.pfx" } : new[] { "--urls", url };
        Assert.Equal(url, SandboxOptions.Parse(args).Urls[0]);
    }

    [Fact]
    public async Task The_control_api_replaces_a_client_only_when_told_to()
    {
        var hijack = await _f.Control("clients", new JsonObject { ["client_id"] = "demo", ["client_secret"] = "stolen" });
        Assert.Equal(HttpStatusCode.Conflict, hijack.Status);
        RoutingTests.AssertErrorShape(hijack.Body, "conflict");
        Assert.Equal(HttpStatusCode.OK, (await _f.Post("/v2/providers/list", new JsonObject())).Status);      // demo-secret still works

        var id = "replaceable-" + Guid.NewGuid().ToString("N")[..6];
        Assert.Equal(HttpStatusCode.OK, (await _f.Control("clients", new JsonObject { ["client_id"] = id, ["client_secret"] = "one" })).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await _f.Control("clients", new JsonObject { ["client_id"] = id, ["client_secret"] = "two" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await _f.Control("clients", new JsonObject { ["client_id"] = id, ["client_secret"] = "two", ["replace"] = true })).Status);
        Assert.Equal(HttpStatusCode.OK, (await _f.Post("/v2/providers/list", new JsonObject { ["client_id"] = id, ["client_secret"] = "two" })).Status);
        var listed = (await _f.Get("/sandbox/clients"))["clients"]!.AsArray();
        Assert.Contains(listed, c => (string)c!["client_id"]! == id && (bool)c["has_secret"]!);
        Assert.DoesNotContain("two", listed.ToJsonString());
    }

    [Fact]
    public async Task Fault_rules_take_the_command_lines_keys_and_a_wrong_body_changes_nothing()
    {
        var set = await _f.Control("faults", new JsonObject
        {
            ["rules"] = new JsonArray(
                new JsonObject { ["path"] = "links/get", ["latency"] = 1, ["fail-before"] = 0, ["retry-after"] = "date" },
                "providers/get:rate-limit=0,retry-after=7"),
        });
        Assert.Equal(HttpStatusCode.OK, set.Status);
        var rules = (await _f.Get("/sandbox/faults"))["rules"]!.AsArray();
        Assert.Equal(2, rules.Count);
        Assert.Equal("date", (string)rules[0]!["retry-after"]!);
        Assert.Equal(7, (int)rules[1]!["retry-after"]!);
        var before = rules.ToJsonString();

        foreach (var wrong in new[]
                 {
                     new JsonObject(), new JsonObject { ["rules"] = "links/get:latency=1" }, new JsonObject { ["rules"] = new JsonArray((JsonNode?)null) },
                     new JsonObject { ["rules"] = new JsonArray(new JsonObject { ["path"] = "links/get", ["latency_ms"] = 5 }) },
                     new JsonObject { ["rules"] = new JsonArray(new JsonObject { ["path"] = "links/get", ["fail-before"] = 2 }) },
                     new JsonObject { ["rules"] = new JsonArray(new JsonObject { ["path"] = "links/nothing" }) },
                     new JsonObject { ["rules"] = new JsonArray(), ["seed"] = "x" },
                 })
        {
            var (status, error) = await _f.Control("faults", wrong);
            Assert.True(status == HttpStatusCode.BadRequest, $"{wrong.ToJsonString()} answered {status}");
            RoutingTests.AssertErrorShape(error, "validation_error");
            Assert.Equal(before, (await _f.Get("/sandbox/faults"))["rules"]!.ToJsonString());
        }
        await _f.Http.DeleteAsync(_f.Sandbox.BaseUrl + "/sandbox/faults");
        Assert.Empty((await _f.Get("/sandbox/faults"))["rules"]!.AsArray());
    }

    [Theory]
    [InlineData("""{"token_lifetime_seconds":1e300}""")]
    [InlineData("""{"token_lifetime_seconds":-5}""")]
    [InlineData("""{"token_lifetime_seconds":0}""")]
    [InlineData("""{"job_cooldown_seconds":-1}""")]
    [InlineData("""{"bank_step_delay_ms":"fast"}""")]
    [InlineData("""{"transactions_per_consent":100000000}""")]
    [InlineData("""{"funds_confirmation_providers":["nobank_ro"]}""")]
    [InlineData("""{"token_lifetime_seconds":60,"latency":5}""")]
    public async Task Settings_out_of_range_are_400_and_change_nothing(string body)
    {
        var before = (await _f.Get("/sandbox/settings")).ToJsonString();
        using var response = await _f.Http.PostAsync(_f.Sandbox.BaseUrl + "/sandbox/settings", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, (await _f.Get("/sandbox/settings")).ToJsonString());
    }

    [Fact]
    public void The_command_line_refuses_out_of_range_values()
    {
        foreach (var args in new[]
                 {
                     new[] { "--token-lifetime", "0" }, new[] { "--transactions", "99999999" }, new[] { "--fault", "links/get:latency_ms=5" },
                     new[] { "--fault", "nowhere:fail-before=0.1" }, new[] { "--funds-confirmation", "nobank_ro" }, new[] { "--base-url", "not a url" },
                     new[] { "--urls", "https://127.0.0.1:0" },
                 })
            Assert.Throws<ArgumentException>(() => SandboxOptions.Parse(args));
    }
}
