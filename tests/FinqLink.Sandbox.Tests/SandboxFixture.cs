using System;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace FinqLink.Sandbox.Tests;

/// <summary>One in-process sandbox with quick bank and job steps, shared by a test class.</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    public SandboxHost Sandbox { get; private set; } = null!;
    public HttpClient Http { get; } = new();

    public async Task InitializeAsync() => Sandbox = await SandboxHost.StartAsync(new SandboxOptions
    {
        BankStepDelay = TimeSpan.FromMilliseconds(10), JobStepDelay = TimeSpan.FromMilliseconds(10), JobCooldown = TimeSpan.FromSeconds(30),
        TransactionsPerConsent = 1_000_000,
    });

    public Task<(HttpStatusCode Status, JsonObject Body)> Post(string path, JsonObject body, string? bearer = null, bool credentials = true) =>
        Http.PostJson(Sandbox.BaseUrl + path, body, bearer, credentials);

    /// <summary>POSTs to the control API (/sandbox/<paramref name="path"/>).</summary>
    public Task<(HttpStatusCode Status, JsonObject Body)> Control(string path, JsonObject? body = null) =>
        Http.PostJson(Sandbox.BaseUrl + "/sandbox/" + path, body ?? new JsonObject(), credentials: false);

    /// <summary>GETs a JSON document from the sandbox.</summary>
    public async Task<JsonNode> Get(string path) => JsonNode.Parse(await Http.GetStringAsync(Sandbox.BaseUrl + path))!;

    /// <summary>A links/create body: <paramref name="amount"/> RON to ACME SRL.</summary>
    public static JsonObject Transfer(string amount = "150.00") => new()
    {
        ["single_transfer"] = new JsonObject
        {
            ["amount"] = amount, ["currency"] = "RON", ["creditor"] = new JsonObject { ["name"] = "ACME SRL", ["iban"] = "RO10RZBR0000069999999970" },
        },
    };

    /// <summary>Creates a consent, approves it as the PSU and waits until it is active.</summary>
    public async Task<string> ActiveConsent(string providerId, JsonObject? consent = null)
    {
        var (_, created) = await Post("/v2/ais/consents/create", new JsonObject
        {
            ["ais_method"] = new JsonObject { ["provider_id"] = providerId }, ["consent"] = consent ?? new JsonObject(),
        });
        var id = (string)created["consent_id"]!;
        Sandbox.Control.ApproveConsent(id);
        await SandboxHttp.Until(async () => await Status("/v2/ais/consents/get", new JsonObject { ["consent_id"] = id }) == "active", "the consent to become active");
        return id;
    }

    /// <summary>The status field of a get operation's answer.</summary>
    public async Task<string?> Status(string path, JsonObject body) => (string?)(await Post(path, body)).Body["status"];

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Sandbox.DisposeAsync();
    }
}
