using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using FinqLink.Sandbox;
using FinqLink.Sandbox.Faults;
using Xunit;

namespace FinqLink.Sandbox.Tests;

public sealed class SandboxApiTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _f;
    public SandboxApiTests(SandboxFixture fixture) => _f = fixture;

    private static JsonObject Transfer(string amount = "150.00") => SandboxFixture.Transfer(amount);

    [Theory]
    [InlineData("/v2/links/create")]
    [InlineData("/v2/test/links/create")]
    [InlineData("/test/v2/links/create")]
    [InlineData("/test/links/create")]
    [InlineData("/v1/links/create")]
    public async Task Every_documented_path_spelling_creates_a_link(string path)
    {
        var (status, body) = await _f.Post(path, Transfer());
        Assert.Equal(HttpStatusCode.OK, status);
        foreach (var field in new[] { "request_id", "created_at", "expires_at", "api_client_app", "link_id", "web_id", "web_url" })
            Assert.NotNull(body[field]);
        Assert.Equal(36, ((string)body["link_id"]!).Length);
    }

    [Fact]
    public async Task The_control_api_shows_each_link_as_it_was_received()
    {
        var transfer = Transfer("1250.5");
        transfer["single_transfer"]!["remittance_information"] = "as received " + Guid.NewGuid();
        var (_, created) = await _f.Post("/v2/links/create", transfer);
        var links = (await _f.Get("/sandbox/links?client_id=demo"))["links"]!.AsArray();
        var link = links.Single(l => (string)l!["link_id"]! == (string)created["link_id"]!)!;
        Assert.Equal("1250.5", (string)link["single_transfer"]!["amount"]!);
        Assert.Equal((string)transfer["single_transfer"]!["remittance_information"]!, (string)link["single_transfer"]!["remittance_information"]!);
        Assert.Equal("demo", (string)link["client_id"]!);
        Assert.Empty((await _f.Get("/sandbox/links?client_id=nobody"))["links"]!.AsArray());
    }

    [Fact]
    public async Task V1_has_no_ais_and_answers_remitter_type_as_a_string()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _f.Post("/v1/ais/consents/create", new JsonObject())).Status);
        var v1 = await _f.Post("/v1/providers/get", new JsonObject { ["provider_id"] = "bt_ro", ["options"] = new JsonObject { ["show_payment_methods"] = true } });
        Assert.Equal("retail", (string)v1.Body["provider"]!["payment_methods"]![0]!["remitter_type"]!);
        var v2 = await _f.Post("/v2/providers/get", new JsonObject { ["provider_id"] = "bt_ro", ["options"] = new JsonObject { ["show_payment_methods"] = true } });
        Assert.IsType<JsonArray>(v2.Body["provider"]!["payment_methods"]![0]!["remitter_type"]);
    }

    [Theory]
    [InlineData("amount", "0150", "single_transfer.amount")]
    [InlineData("amount", "1,50", "single_transfer.amount")]
    [InlineData("amount", "1.505", "single_transfer.amount")]
    [InlineData("currency", "LEI", "single_transfer.currency")]
    public async Task Bad_input_gets_a_400_that_names_the_field(string field, string value, string named)
    {
        var body = Transfer();
        body["single_transfer"]![field] = value;
        var (status, error) = await _f.Post("/v2/links/create", body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("validation_error", (string)error["code"]!);
        Assert.StartsWith(named, (string)error["message"]!);
        foreach (var key in new[] { "error_id", "request_id", "code", "message" }) Assert.NotNull(error[key]);
    }

    [Theory]
    [InlineData("RON", "150.5", true)]
    [InlineData("RON", "150.50", true)]
    [InlineData("RON", "150.505", false)]
    [InlineData("JPY", "1500", true)]
    [InlineData("JPY", "1500.5", false)]
    public async Task An_amount_has_at_most_its_currencys_minor_digits(string currency, string amount, bool accepted)
    {
        var body = Transfer();
        body["single_transfer"]!["currency"] = currency;
        body["single_transfer"]!["amount"] = amount;
        var (status, answer) = await _f.Post("/v2/links/create", body);
        Assert.Equal(accepted ? HttpStatusCode.OK : HttpStatusCode.BadRequest, status);
        if (!accepted) Assert.StartsWith("single_transfer.amount", (string)answer["message"]!);
    }

    [Fact]
    public async Task Validation_covers_iban_expiry_scope_tracking_and_link_id()
    {
        var iban = Transfer();
        iban["single_transfer"]!["creditor"]!["iban"] = "RO10RZBR0000069999999971";
        Assert.Contains("single_transfer.creditor.iban", (string)(await _f.Post("/v2/links/create", iban)).Body["message"]!);
        var expiry = Transfer();
        expiry["options"] = new JsonObject { ["expires_in"] = 46 * 86400 };
        Assert.Contains("options.expires_in", (string)(await _f.Post("/v2/links/create", expiry)).Body["message"]!);
        var tracking = Transfer();
        tracking["tracking"] = new JsonObject { ["tenant_user_id"] = "Upper Case" };
        Assert.Contains("tracking.tenant_user_id", (string)(await _f.Post("/v2/links/create", tracking)).Body["message"]!);
        var scope = await _f.Post("/v2/ais/consents/create", new JsonObject { ["consent"] = new JsonObject { ["scope"] = new JsonArray("accounts") } });
        Assert.Contains("consent.scope", (string)scope.Body["message"]!);
        Assert.Contains("exactly 36", (string)(await _f.Post("/v2/links/get", new JsonObject { ["link_id"] = "short" })).Body["message"]!);
    }

    [Fact]
    public async Task Request_id_echoes_x_request_id_and_bad_credentials_are_401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _f.Sandbox.BaseUrl + "/v2/providers/list")
        {
            Content = new StringContent("""{"client_id":"demo","client_secret":"demo-secret"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-request-id", "my-request-1");
        var reply = JsonNode.Parse(await (await _f.Http.SendAsync(request)).Content.ReadAsStringAsync())!;
        Assert.Equal("my-request-1", (string)reply["request_id"]!);
        var (status, error) = await _f.Post("/v2/providers/list", new JsonObject { ["client_id"] = "demo", ["client_secret"] = "wrong" });
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("unauthorized", (string)error["code"]!);
    }

    [Fact]
    public async Task Links_list_pages_by_keyset_and_stays_stable_under_inserts()
    {
        var client = "paging-" + Guid.NewGuid().ToString("N")[..6];
        _f.Sandbox.Control.Clients.Register(new FinqLink.Sandbox.Auth.RegisteredClient { ClientId = client, ClientSecret = "s" });
        JsonObject Auth(JsonObject b) { b["client_id"] = client; b["client_secret"] = "s"; return b; }
        for (var i = 0; i < 7; i++) await _f.Post("/v2/links/create", Auth(Transfer($"{i + 1}.00")));

        var seen = new List<string>();
        string? after = null;
        do
        {
            var page = new JsonObject { ["limit"] = 3 };
            if (after != null) page["after"] = after;
            var (_, body) = await _f.Post("/v2/links/list", Auth(new JsonObject { ["pagination"] = page }));
            seen.AddRange(body["links"]!.AsArray().Select(l => (string)l!["link_id"]!));
            if (seen.Count == 3) await _f.Post("/v2/links/create", Auth(Transfer("99.00")));   // an insert mid-walk
            after = (bool)body["pagination"]!["more?"]! ? (string?)body["pagination"]!["after"] : null;
            Assert.Equal(body["links"]!.AsArray().Count, (int)body["pagination"]!["count"]!);
        } while (after != null);
        Assert.Equal(7, seen.Count);
        Assert.Equal(7, seen.Distinct().Count());
        var limit = await _f.Post("/v2/links/list", Auth(new JsonObject { ["pagination"] = new JsonObject { ["limit"] = 251 } }));
        Assert.Contains("pagination.limit", (string)limit.Body["message"]!);
    }

    [Fact]
    public async Task A_consent_walks_to_active_and_a_million_transactions_page_from_generated_data()
    {
        var id = await _f.ActiveConsent("bt_ro");
        var get = (await _f.Post("/v2/ais/consents/get", new JsonObject { ["consent_id"] = id })).Body;
        Assert.NotNull(get["authorized_until"]);

        var deep = new JsonObject { ["consent_id"] = id, ["pagination"] = new JsonObject { ["limit"] = 250, ["after"] = FinqLink.Sandbox.Infrastructure.Keyset.Encode(999_000) } };
        var page = (await _f.Post("/v2/ais/transactions/list", deep)).Body;
        Assert.Equal(250, page["transactions"]!.AsArray().Count);
        var last = await _f.Post("/v2/ais/transactions/list", new JsonObject
        {
            ["consent_id"] = id, ["pagination"] = new JsonObject { ["limit"] = 250, ["after"] = FinqLink.Sandbox.Infrastructure.Keyset.Encode(999_990) },
        });
        Assert.Equal(9, last.Body["transactions"]!.AsArray().Count);
        Assert.False((bool)last.Body["pagination"]!["more?"]!);

        var job = (await _f.Post("/v2/ais/jobs/create", new JsonObject { ["consent_id"] = id })).Body;
        Assert.Equal("job_started", (string)job["status"]!);
        var again = await _f.Post("/v2/ais/jobs/create", new JsonObject { ["consent_id"] = id });
        Assert.Equal("cooldown_failed", (string)again.Body["code"]!);
        Assert.Contains("allowed from", (string)again.Body["message"]!);
    }

    [Fact]
    public async Task Running_balances_add_up_per_account_and_a_refresh_leaves_older_ones_unchanged()
    {
        var id = await _f.ActiveConsent("cec_ro");
        async Task<JsonObject[]> FirstPage() => (await _f.Post("/v2/ais/transactions/list", new JsonObject
        {
            ["consent_id"] = id, ["pagination"] = new JsonObject { ["limit"] = 250 },
        })).Body["transactions"]!.AsArray().Select(t => t!.AsObject()).ToArray();
        static decimal Money(JsonNode? n) => decimal.Parse((string)n!, System.Globalization.CultureInfo.InvariantCulture);

        var before = await FirstPage();
        foreach (var account in before.GroupBy(t => (string)t["account_id"]!))
        {
            var newestFirst = account.ToArray();
            for (var i = 0; i + 1 < newestFirst.Length; i++)
            {
                var signed = (string)newestFirst[i]["credit_debit_indicator"]! == "credit" ? Money(newestFirst[i]["amount"]) : -Money(newestFirst[i]["amount"]);
                Assert.Equal(Money(newestFirst[i + 1]["balance"]) + signed, Money(newestFirst[i]["balance"]));
            }
        }

        var job = (string)(await _f.Post("/v2/ais/jobs/create", new JsonObject { ["consent_id"] = id })).Body["job_id"]!;
        await SandboxHttp.Until(async () => (string?)(await _f.Post("/v2/ais/jobs/get", new JsonObject { ["consent_id"] = id, ["job_id"] = job })).Body["status"] == "job_completed");
        var after = (await FirstPage()).ToDictionary(t => (string)t["id"]!);
        Assert.NotEqual((string)before[0]["id"]!, after.Keys.First());
        var common = before.Where(t => after.ContainsKey((string)t["id"]!)).ToArray();
        Assert.NotEmpty(common);
        Assert.All(common, t => Assert.Equal((string)t["balance"]!, (string)after[(string)t["id"]!]["balance"]!));
    }

    [Fact]
    public async Task Token_endpoint_verifies_es256_assertions_and_refuses_replays_and_wrong_audiences()
    {
        using var client = new Es256Client(_f.Sandbox);
        Task<HttpResponseMessage> Token(string assertion) => client.RequestToken(_f.Http, _f.Sandbox.TokenEndpointUrl, assertion);

        var good = client.Assertion(_f.Sandbox.TokenEndpointUrl, "j1");
        var ok = await Token(good);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var token = (string)JsonNode.Parse(await ok.Content.ReadAsStringAsync())!["access_token"]!;
        Assert.Equal(HttpStatusCode.Unauthorized, (await Token(good)).StatusCode);                                  // replayed jti
        Assert.Equal(HttpStatusCode.Unauthorized, (await Token(client.Assertion("https://elsewhere/token", "j2"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _f.Post("/v2/providers/list", new JsonObject { ["client_id"] = client.ClientId }, bearer: token)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _f.Post("/v2/providers/list", new JsonObject { ["client_id"] = "demo" }, bearer: token)).Status);
    }

    [Fact]
    public async Task Webhooks_are_signed_over_the_raw_body_with_a_published_key()
    {
        var received = new System.Collections.Concurrent.ConcurrentQueue<(string Body, string Sig, string Kid)>();
        var listener = new HttpListener();
        var port = System.Net.Sockets.TcpListener.Create(0);
        port.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)port.LocalEndpoint).Port}/hook/";
        port.Stop();
        listener.Prefixes.Add(url);
        listener.Start();
        _ = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                var ctx = await listener.GetContextAsync();
                using var reader = new System.IO.StreamReader(ctx.Request.InputStream);
                received.Enqueue((await reader.ReadToEndAsync(), ctx.Request.Headers["x-signature"]!, ctx.Request.Headers["x-signature-kid"]!));
                ctx.Response.StatusCode = 204;
                ctx.Response.Close();
            }
        });
        var body = Transfer();
        body["options"] = new JsonObject { ["webhook_url"] = url };
        var link = (string)(await _f.Post("/v2/links/create", body)).Body["link_id"]!;
        _f.Sandbox.Control.ApproveLink(link);
        await SandboxHttp.Until(() => Task.FromResult(received.Any(r => r.Body.Contains("\"completed\""))));
        listener.Stop();

        var jwks = JsonNode.Parse(await _f.Http.GetStringAsync(_f.Sandbox.BaseUrl + "/.well-known/jwks.json"))!["keys"]!.AsArray();
        Assert.Equal(2, jwks.Count);
        foreach (var (raw, sig, kid) in received)
        {
            Assert.True(WebhookSignature.IsValid(jwks, sig, kid, Encoding.UTF8.GetBytes(raw)), raw);
            Assert.Equal("link_status_update", (string)JsonNode.Parse(raw)!["type"]!);
        }
        var rotatedOut = _f.Sandbox.Control.Keys.CurrentKid;
        _f.Sandbox.Control.Keys.Rotate("ES256");
        var after = JsonNode.Parse(await _f.Http.GetStringAsync(_f.Sandbox.BaseUrl + "/.well-known/jwks.json"))!["keys"]!.AsArray();
        Assert.Equal("ES256", (string)after[0]!["alg"]!);
        Assert.Equal(rotatedOut, (string)after[1]!["kid"]!);
    }

    [Fact]
    public async Task Faults_before_do_nothing_and_faults_after_still_create()
    {
        var fresh = await SandboxHost.StartAsync(new SandboxOptions());
        try
        {
            using var http = new HttpClient();
            async Task<HttpStatusCode> Create()
            {
                var body = Transfer();
                body["client_id"] = "demo";
                body["client_secret"] = "demo-secret";
                return (await http.PostAsync(fresh.BaseUrl + "/v2/links/create", new StringContent(body.ToJsonString()))).StatusCode;
            }
            fresh.Control.SetFaults(new[] { new FaultRule { Path = "links/create", FailBefore = 1 } });
            Assert.Equal(HttpStatusCode.ServiceUnavailable, await Create());
            Assert.Equal(0, fresh.Control.Counters.LinksCreated);
            fresh.Control.SetFaults(new[] { new FaultRule { Path = "links/create", FailAfter = 1 } });
            Assert.Equal(HttpStatusCode.InternalServerError, await Create());
            Assert.Equal(1, fresh.Control.Counters.LinksCreated);
            fresh.Control.SetFaults(new[] { new FaultRule { Path = "links/create", RateLimit = 1, RetryAfterAsDate = true } });
            var limited = await http.PostAsync(fresh.BaseUrl + "/v2/links/create", new StringContent("{}"));
            Assert.Equal((HttpStatusCode)429, limited.StatusCode);
            Assert.NotNull(limited.Headers.RetryAfter?.Date);
        }
        finally { await fresh.DisposeAsync(); }
    }
}
