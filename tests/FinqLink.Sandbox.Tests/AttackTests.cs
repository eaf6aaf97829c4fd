using System;
using System.Buffers.Text;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace FinqLink.Sandbox.Tests;

/// <summary>Malformed and hostile requests against every door of the sandbox: none may answer 500, none may change its state.</summary>
public sealed class AttackTests : IClassFixture<SandboxFixture>
{
    private const string Demo = "\"client_id\":\"demo\",\"client_secret\":\"demo-secret\"";
    private const string Json = "application/json", Form = "application/x-www-form-urlencoded";
    private readonly SandboxFixture _f;

    public AttackTests(SandboxFixture fixture) => _f = fixture;

    private sealed record Attack(string Name, string Path, string ContentType, byte[] Body, string? Authorization = null, string Method = "POST")
    {
        public Attack(string name, string path, string contentType, string body, string? authorization = null)
            : this(name, path, contentType, Encoding.UTF8.GetBytes(body), authorization) { }
    }

    private static IEnumerable<Attack> Attacks()
    {
        var transfer = "\"single_transfer\":{\"amount\":\"10.00\",\"currency\":\"RON\"}";
        var badUtf8 = Encoding.UTF8.GetBytes("{" + Demo + "," + transfer.Replace("}", "") + ",\"remittance_information\":\"x").Concat(new byte[] { 0xC3, 0x28, 0xFF })
            .Concat(Encoding.UTF8.GetBytes("\"}}")).ToArray();
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 5000)) + "1" + new string('}', 5000);
        var hostileCursor = Base64Url.EncodeToString(Encoding.ASCII.GetBytes("{\"k\":9223372036854775807}"));
        var noneAlg = Base64Url.EncodeToString("{\"alg\":\"none\",\"kid\":\"x\"}"u8.ToArray()) + "." + Base64Url.EncodeToString("{\"iss\":\"demo\",\"sub\":\"demo\",\"exp\":99999999999999}"u8.ToArray()) + ".";
        var numericClaims = Base64Url.EncodeToString("{\"alg\":\"ES256\",\"kid\":7}"u8.ToArray()) + "." + Base64Url.EncodeToString("{\"iss\":1,\"sub\":[1]}"u8.ToArray()) + ".AA";
        string Assertion(string jwt) => "grant_type=client_credentials&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=" + jwt;

        return new[]
        {
            new Attack("duplicate keys", "/v2/links/create", Json, "{" + Demo + ",\"client_id\":\"other\"," + transfer + "}"),
            new Attack("duplicate nested keys", "/v2/links/create", Json, "{" + Demo + ",\"single_transfer\":{\"amount\":\"1.00\",\"amount\":\"2.00\",\"currency\":\"RON\"}}"),
            new Attack("invalid UTF-8 inside a string", "/v2/links/create", Json, badUtf8),
            new Attack("40-digit amount", "/v2/links/create", Json, "{" + Demo + ",\"single_transfer\":{\"amount\":\"1234567890123456789012345678901234567890\",\"currency\":\"RON\"}}"),
            new Attack("40-digit amount as a number", "/v2/links/create", Json, "{" + Demo + ",\"single_transfer\":{\"amount\":1234567890123456789012345678901234567890,\"currency\":\"RON\"}}"),
            new Attack("amount 1e400", "/v2/links/create", Json, "{" + Demo + ",\"single_transfer\":{\"amount\":1e400,\"currency\":\"RON\"}}"),
            new Attack("expires_in 1e300", "/v2/links/create", Json, "{" + Demo + "," + transfer + ",\"options\":{\"expires_in\":1e300}}"),
            new Attack("a body that is an array", "/v2/providers/list", Json, "[" + "{" + Demo + "}]"),
            new Attack("5000 levels of nesting", "/v2/providers/list", Json, deep),
            new Attack("an empty body", "/v2/links/list", Json, ""),
            new Attack("a cursor at long.MaxValue", "/v2/links/list", Json, "{" + Demo + ",\"pagination\":{\"after\":\"" + hostileCursor + "\"}}"),
            new Attack("client_id as an object", "/v2/providers/list", Json, "{\"client_id\":{\"$ne\":null}}"),
            new Attack("a garbage bearer token", "/v2/providers/list", Json, "{\"client_id\":\"demo\"}", "Bearer ../../etc/passwd"),
            new Attack("Basic !!! at the token endpoint", "/oauth2/v1/token", Form, "grant_type=client_credentials", "Basic !!!"),
            new Attack("Basic without a colon", "/oauth2/v1/token", Form, "grant_type=client_credentials", "Basic " + Convert.ToBase64String("demo"u8.ToArray())),
            new Attack("JSON at the token endpoint", "/oauth2/v1/token", Json, "{\"grant_type\":\"client_credentials\"}"),
            new Attack("a broken multipart form", "/oauth2/v1/token", "multipart/form-data; boundary=xyz", "--xyz\r\nbroken"),
            new Attack("an unsigned alg=none assertion", "/oauth2/v1/token", Form, Assertion(noneAlg)),
            new Attack("an assertion with numeric claims", "/oauth2/v1/token", Form, Assertion(numericClaims)),
            new Attack("faults rules [null]", "/sandbox/faults", Json, "{\"rules\":[null]}"),
            new Attack("faults with the old latency_ms key", "/sandbox/faults", Json, "{\"rules\":[{\"path\":\"*\",\"latency_ms\":5000}]}"),
            new Attack("faults rules as a string", "/sandbox/faults", Json, "{\"rules\":\"*:fail-before=1\"}"),
            new Attack("clients keys [null]", "/sandbox/clients", Json, "{\"client_id\":\"attacker\",\"keys\":[null]}"),
            new Attack("the demo client with a new secret", "/sandbox/clients", Json, "{\"client_id\":\"demo\",\"client_secret\":\"mine\"}"),
            new Attack("a client key that is not base64url", "/sandbox/clients", Json, "{\"client_id\":\"attacker\",\"keys\":[{\"kid\":\"k\",\"jwk\":{\"kty\":\"RSA\",\"n\":\"!!\",\"e\":\"AQAB\"}}]}"),
            new Attack("an RSA-1024 client key", "/sandbox/clients", Json, "{\"client_id\":\"attacker\",\"keys\":[{\"kid\":\"k\",\"jwk\":{\"kty\":\"RSA\",\"n\":\"" + WeakModulus() + "\",\"e\":\"AQAB\"}}]}"),
            new Attack("a PEM that is not a key", "/sandbox/clients", Json, "{\"client_id\":\"attacker\",\"keys\":[{\"kid\":\"k\",\"pem\":\"-----BEGIN PUBLIC KEY-----\\nAAAA\\n-----END PUBLIC KEY-----\"}]}"),
            new Attack("settings token_lifetime 1e300", "/sandbox/settings", Json, "{\"token_lifetime_seconds\":1e300}"),
            new Attack("settings negative token lifetime", "/sandbox/settings", Json, "{\"token_lifetime_seconds\":-5}"),
            new Attack("clock offset 1e300", "/sandbox/clock", Json, "{\"offset_seconds\":1e300}"),
            new Attack("keys rotated to HS256", "/sandbox/keys/rotate", Json, "{\"alg\":\"HS256\"}"),
            new Attack("a status that is a number", "/sandbox/links/00000000-0000-4000-8000-000000000000/status", Json, "{\"status\":123}"),
            new Attack("a JSON body to the payer page", "/webui/pay/nothing", Json, "{}"),
            new Attack("a request id of 10k characters", "/v2/providers/list", Json, "{" + Demo + ",\"x\":1}"),
        };
    }

    private static string WeakModulus()
    {
        using var weak = System.Security.Cryptography.RSA.Create(1024);
        return Base64Url.EncodeToString(weak.ExportParameters(false).Modulus);
    }

    [Fact]
    public async Task Hostile_requests_never_get_a_500_and_change_nothing()
    {
        await _f.Control("faults", new JsonObject { ["rules"] = new JsonArray(new JsonObject { ["path"] = "links/get", ["latency"] = 1 }) });
        var before = await Snapshot();
        var attacks = Attacks().ToList();
        Assert.True(attacks.Count >= 25);

        foreach (var attack in attacks)
        {
            using var request = new HttpRequestMessage(new HttpMethod(attack.Method), _f.Sandbox.BaseUrl + attack.Path) { Content = new ByteArrayContent(attack.Body) };
            request.Content.Headers.TryAddWithoutValidation("Content-Type", attack.ContentType);
            if (attack.Authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", attack.Authorization);
            request.Headers.TryAddWithoutValidation("x-request-id", new string('r', 10_000));
            using var response = await _f.Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True((int)response.StatusCode < 500, $"{attack.Name}: {(int)response.StatusCode} {text}");
            Assert.True(attack.Name == "a request id of 10k characters" || (int)response.StatusCode >= 400, $"{attack.Name} was accepted: {text}");
        }

        Assert.Equal(before, await Snapshot());
        Assert.Equal(HttpStatusCode.OK, (await _f.Post("/v2/providers/list", new JsonObject())).Status);   // demo / demo-secret still authenticate
    }

    /// <summary>Everything an attack could change: counters (but the request count), clients, faults, settings, clock offset, keys and links.</summary>
    private async Task<string> Snapshot()
    {
        var stats = (await _f.Get("/sandbox/stats")).AsObject();
        stats.Remove("requests");
        var clock = (await _f.Get("/sandbox/clock")).AsObject();
        clock.Remove("now");
        return new JsonObject
        {
            ["stats"] = stats, ["clients"] = await _f.Get("/sandbox/clients"), ["faults"] = await _f.Get("/sandbox/faults"),
            ["settings"] = await _f.Get("/sandbox/settings"), ["clock"] = clock, ["jwks"] = await _f.Get("/.well-known/jwks.json"),
            ["links"] = (await _f.Post("/v2/links/list", new JsonObject())).Body["links"]!.DeepClone(),
        }.ToJsonString();
    }
}
