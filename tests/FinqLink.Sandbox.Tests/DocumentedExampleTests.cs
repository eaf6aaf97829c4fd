using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using FinqLink.Sandbox;
using FinqLink.Testing;
using Xunit;

namespace FinqLink.Sandbox.Tests;

/// <summary>
/// Posts every example request of finqlink-api.md (transcribed in DocumentedExamples.json) to a fresh sandbox and
/// checks that each documented response field comes back with the documented JSON kind.
/// </summary>
public sealed class DocumentedExampleTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> DocCredentials = new()
    {
        ["cid"] = "demo", ["my-client-id"] = "demo", ["sec"] = "demo-secret", ["my-secret"] = "demo-secret",
    };

    private readonly JsonObject _examples = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "DocumentedExamples.json")))!.AsObject();
    private readonly Dictionary<string, string> _captured = new();
    private readonly WebhookReceiver _receiver = new();
    private readonly HttpClient _http = new();
    private SandboxHost _sandbox = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxHost.StartAsync(new SandboxOptions
        {
            BankStepDelay = TimeSpan.FromMilliseconds(10), JobStepDelay = TimeSpan.FromMilliseconds(10), TransactionsPerConsent = 50,
        });
        _captured["webhook_url"] = _receiver.Url;
        _captured["since"] = DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        _captured["until"] = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Every_documented_example_request_gets_the_documented_response_fields()
    {
        foreach (var step in _examples["steps"]!.AsArray().Select(s => s!.AsObject()))
        {
            var section = (string)step["section"]!;
            var (status, answer) = await Post((string)step["path"]!, Substitute(step["request"]!).AsObject());
            Assert.True(status == ((int?)step["status"] ?? 200), $"{section}: answered {status}: {answer.ToJsonString()}");
            AssertShape(step["response"]!, answer, section);
            foreach (var (field, expected) in step["equal"]?.AsObject() ?? new JsonObject())
                Assert.True(JsonNode.DeepEquals(Substitute(expected!), answer[field]), $"{section}: {field} should be {expected!.ToJsonString()}, was {answer[field]?.ToJsonString()}");
            foreach (var (name, path) in step["capture"]?.AsObject() ?? new JsonObject())
                _captured[name] = (string)path!.GetValue<string>().Split('.').Aggregate((JsonNode)answer, (node, part) => int.TryParse(part, out var i) ? node[i]! : node[part]!)!;
            if ((string?)step["then"] is { } then) await Play(then);
        }

        foreach (var webhook in _examples["webhooks"]!.AsArray())
        {
            var delivery = _sandbox.Control.WebhookLog.FirstOrDefault(d => d.Type == (string)webhook!["type"]!);
            Assert.True(delivery != null, $"{webhook!["section"]}: no {webhook["type"]} was sent");
            AssertShape(webhook!["payload"]!, JsonNode.Parse(delivery!.Body)!, (string)webhook["section"]!);
        }

        var jwks = JsonNode.Parse(await _http.GetStringAsync(_sandbox.BaseUrl + "/.well-known/jwks.json"))!;
        AssertShape(new JsonObject { ["keys"] = _examples["jwks"]!["keys"]!.DeepClone() }, jwks, "8.4 JWKS document");
        Assert.Equal(2, jwks["keys"]!.AsArray().Count);
    }

    /// <summary>Plays the payer or PSU through the control API, then waits for the bank to finish.</summary>
    private async Task Play(string action)
    {
        var (verb, idName) = (action.Split(':')[0], action.Split(':')[1]);
        var id = _captured[idName];
        switch (verb)
        {
            case "approve_link":
                _sandbox.Control.ApproveLink(id);
                await WaitFor("/v2/links/get", new JsonObject { ["link_id"] = id }, "completed");
                break;
            case "approve_consent":
                _sandbox.Control.ApproveConsent(id);
                await WaitFor("/v2/ais/consents/get", new JsonObject { ["consent_id"] = id }, "active");
                break;
            case "finish_job":
                await WaitFor("/v2/ais/jobs/get", new JsonObject { ["job_id"] = id, ["consent_id"] = _captured["consent_id"] }, "job_completed");
                break;
            default: throw new ArgumentException($"Unknown step action {action}.");
        }
    }

    private Task WaitFor(string path, JsonObject body, string status) =>
        SandboxHttp.Until(async () => (string?)(await Post(path, (JsonObject)body.DeepClone())).Answer["status"] == status, $"{path} to reach {status}");

    private async Task<(int Status, JsonObject Answer)> Post(string path, JsonObject body)
    {
        var (status, answer) = await _http.PostJson(_sandbox.BaseUrl + path, body);
        return ((int)status, answer);
    }

    /// <summary>The documented credentials become the demo client's; "{name}" becomes a captured value.</summary>
    private JsonNode Substitute(JsonNode node) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)(p.Value is null ? null : Substitute(p.Value))))),
        JsonArray a => new JsonArray(a.Select(i => i is null ? null : Substitute(i)).ToArray()),
        _ when node.GetValueKind() == JsonValueKind.String && node.GetValue<string>() is var text =>
            DocCredentials.TryGetValue(text, out var credential) ? JsonValue.Create(credential)!
            : JsonValue.Create(Regex.Replace(text, @"^\{(\w+)\}$", m => _captured[m.Groups[1].Value]))!,
        _ => node.DeepClone(),
    };

    /// <summary>Every field of <paramref name="documented"/> is in <paramref name="actual"/> with the same kind; arrays check their first item.</summary>
    private static void AssertShape(JsonNode documented, JsonNode actual, string where)
    {
        if (documented is JsonObject doc)
        {
            foreach (var (field, value) in doc)
            {
                var here = $"{where}: {field}";
                Assert.True(actual is JsonObject o && o.ContainsKey(field), $"{here} is missing from {actual.ToJsonString()}");
                var got = actual[field];
                if (value is null || got is null) continue;
                Assert.True(Kind(value) == Kind(got), $"{here} should be a {Kind(value)}, was {got.ToJsonString()}");
                if (value is JsonObject || (value is JsonArray docItems && docItems.Count > 0 && docItems[0] is JsonObject))
                    AssertShape(value is JsonArray items ? items[0]! : value, got is JsonArray gotItems ? FirstOf(gotItems, here) : got, here);
            }
        }
    }

    private static JsonNode FirstOf(JsonArray items, string where)
    {
        Assert.True(items.Count > 0, $"{where} is empty: nothing to compare with the documented item");
        return items[0]!;
    }

    private static JsonValueKind Kind(JsonNode node) => node.GetValueKind() is JsonValueKind.False ? JsonValueKind.True : node.GetValueKind();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        _receiver.Dispose();
        await _sandbox.DisposeAsync();
    }
}
