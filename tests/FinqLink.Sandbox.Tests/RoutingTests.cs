using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace FinqLink.Sandbox.Tests;

/// <summary>The route groups per path prefix, the fallback and the one error writer: every spelling, every answer in the API's shape.</summary>
public sealed class RoutingTests : IClassFixture<SandboxFixture>
{
    private static readonly string[] V2Prefixes = { "", "/v2", "/test", "/v2/test", "/test/v2" };
    private static readonly string[] V1Prefixes = { "/v1", "/v1/test", "/test/v1" };
    private readonly SandboxFixture _f;

    public RoutingTests(SandboxFixture fixture) => _f = fixture;

    public static TheoryData<string> AllPrefixes() => new(V2Prefixes.Concat(V1Prefixes));
    public static TheoryData<string> OnlyV1() => new(V1Prefixes);
    public static TheoryData<string> OnlyV2() => new(V2Prefixes);

    [Theory]
    [MemberData(nameof(AllPrefixes))]
    public async Task Pay_operations_answer_on_every_prefix(string prefix)
    {
        var (status, body) = await _f.Post(prefix + "/providers/get", new JsonObject { ["provider_id"] = "rzb_ro" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("rzb_ro", (string)body["provider"]!["provider_id"]!);
    }

    [Theory]
    [MemberData(nameof(OnlyV2))]
    public async Task Ais_operations_answer_on_every_v2_prefix_also_without_the_ais_segment(string prefix)
    {
        foreach (var path in new[] { "/ais/consents/create", "/consents/create" })
        {
            var (status, body) = await _f.Post(prefix + path, new JsonObject());
            Assert.True(status == HttpStatusCode.OK, $"{prefix}{path}: {status} {body.ToJsonString()}");
            Assert.NotNull(body["consent_id"]);
        }
    }

    [Theory]
    [MemberData(nameof(OnlyV1))]
    public async Task Ais_operations_are_404_on_v1_in_the_api_error_shape(string prefix)
    {
        var (status, body) = await _f.Post(prefix + "/ais/consents/create", new JsonObject());
        Assert.Equal(HttpStatusCode.NotFound, status);
        AssertErrorShape(body, "not_found");
    }

    [Theory]
    [InlineData("GET", "/")]
    [InlineData("POST", "/v2/links/delete")]
    [InlineData("POST", "/v3/links/create")]
    [InlineData("GET", "/v2/links/create")]
    [InlineData("POST", "/webui/pay/x/y/z.png")]
    public async Task Unknown_paths_and_methods_are_404_with_the_callers_request_id(string method, string path)
    {
        using var response = await Send(method, path, "{}", requestId: "route-404");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        AssertErrorShape(body, "not_found");
        Assert.Equal("route-404", (string)body["request_id"]!);
    }

    [Fact]
    public async Task Failures_before_authentication_still_answer_in_the_api_shape()
    {
        using var response = await _f.Http.PostAsync(_f.Sandbox.BaseUrl + "/v2/links/list", new StringContent("[1,2]", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertErrorShape(JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject(), "bad_request");
    }

    [Theory]
    [InlineData("GET", "/.well-known/jwks.json")]
    [InlineData("GET", "/sandbox/stats")]
    [InlineData("POST", "/v2/providers/list")]
    [InlineData("POST", "/v2/links/get")]
    [InlineData("POST", "/oauth2/v1/token")]
    [InlineData("GET", "/nowhere")]
    public async Task Every_response_carries_a_date_header(string method, string path)
    {
        using var response = await Send(method, path, """{"client_id":"demo","client_secret":"demo-secret"}""");
        Assert.NotNull(response.Headers.Date);
        Assert.InRange(response.Headers.Date!.Value, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    /// <summary>Sends <paramref name="method"/> to <paramref name="path"/>, with <paramref name="json"/> as the body of a POST.</summary>
    private async Task<HttpResponseMessage> Send(string method, string path, string json, string? requestId = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), _f.Sandbox.BaseUrl + path);
        if (requestId is not null) request.Headers.Add("x-request-id", requestId);
        if (method == "POST") request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        return await _f.Http.SendAsync(request);
    }

    internal static void AssertErrorShape(JsonObject body, string code)
    {
        Assert.Equal(new[] { "code", "error_id", "message", "request_id" }, body.Select(p => p.Key).Order());
        Assert.Equal(code, (string)body["code"]!);
        Assert.Equal(36, ((string)body["error_id"]!).Length);
        Assert.False(string.IsNullOrEmpty((string?)body["request_id"]));
    }
}
