using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using FinqLink.Sandbox.Api;

namespace FinqLink.Sandbox.Auth;

/// <summary>
/// The API clients the sandbox accepts: the built-in demo client, those of a clients file, and any registered at
/// run time (in-process through <see cref="Register"/>, or through the control API, which never silently replaces one).
/// </summary>
public sealed class ClientRegistry
{
    public const string DemoClientId = "demo";
    public const string DemoClientSecret = "demo-secret";
    private static readonly string[] KnownFields = { "client_id", "client_secret", "app_name", "keys", "required_tracking" };

    private readonly ConcurrentDictionary<string, RegisteredClient> _clients = new(StringComparer.Ordinal);

    public ClientRegistry()
    {
        Register(new RegisteredClient { ClientId = DemoClientId, ClientSecret = DemoClientSecret, AppName = "finqlink-sandbox-demo" });
    }

    /// <summary>Adds the client, replacing one with the same client_id.</summary>
    public void Register(RegisteredClient client) => _clients[client.ClientId] = client;

    /// <summary>Adds the client; an existing client_id is replaced only when <paramref name="replace"/> says so.</summary>
    public bool TryRegister(RegisteredClient client, bool replace)
    {
        if (!replace) return _clients.TryAdd(client.ClientId, client);
        Register(client);
        return true;
    }

    public RegisteredClient? Find(string clientId) => _clients.TryGetValue(clientId, out var client) ? client : null;

    /// <summary>The registered clients without their secrets: id, app name, whether a secret is set, key ids, required tracking.</summary>
    public JsonArray Describe() => new(_clients.Values.OrderBy(c => c.ClientId, StringComparer.Ordinal).Select(c => (JsonNode?)new JsonObject
    {
        ["client_id"] = c.ClientId, ["app_name"] = c.AppName, ["has_secret"] = c.ClientSecret is not null,
        ["kids"] = new JsonArray(c.PublicKeys.Select(k => (JsonNode?)k.Kid).ToArray()),
        ["required_tracking"] = new JsonArray(c.RequiredTracking.Select(t => (JsonNode?)t).ToArray()),
    }).ToArray());

    /// <summary>Reads a clients file: <c>{"clients":[{client_id, client_secret, app_name, keys:[{kid, jwk|pem}], required_tracking}]}</c>.</summary>
    public void LoadFile(string path)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }); }
        catch (JsonException e) { throw new FormatException($"{path}: not valid JSON ({e.Message})."); }
        if (root is not JsonObject { } file || file["clients"] is not JsonArray clients) throw new FormatException($"{path}: the clients file must be {{\"clients\":[...]}}.");
        foreach (var item in clients)
            Register(FromJson(item as JsonObject ?? throw new FormatException($"{path}: each client must be a JSON object.")));
    }

    /// <summary>A client from its JSON description; bad input is a FormatException that names the field.</summary>
    public static RegisteredClient FromJson(JsonObject json)
    {
        var unknown = json.Select(p => p.Key).FirstOrDefault(k => !KnownFields.Contains(k));
        if (unknown is not null) throw new FormatException($"'{unknown}' is not a client field; the fields are {string.Join(", ", KnownFields)}.");
        var client = new RegisteredClient
        {
            ClientId = Text(json, "client_id", 128) ?? throw new FormatException("A client needs a client_id."),
            ClientSecret = Text(json, "client_secret", 128),
            AppName = Text(json, "app_name", 128) ?? "sandbox-app",
            RequiredTracking = Array(json, "required_tracking").Select(n => TrackingField(n)).ToList(),
        };
        if (client.ClientId.Length == 0) throw new FormatException("client_id must not be empty.");
        foreach (var keyNode in Array(json, "keys"))
        {
            var key = keyNode as JsonObject ?? throw new FormatException("Each key must be an object {kid, jwk} or {kid, pem}.");
            var kid = Text(key, "kid", 256);
            client.PublicKeys.Add(key["jwk"] switch
            {
                JsonObject jwk => ClientPublicKey.FromJwk(jwk, kid),
                null => ClientPublicKey.FromPem(kid ?? throw new FormatException("A PEM key needs a kid."), Text(key, "pem", 16_384) ?? throw new FormatException("A key needs a jwk or a pem.")),
                _ => throw new FormatException("jwk must be a JSON object."),
            });
        }
        if (client.ClientSecret is null && client.PublicKeys.Count == 0) throw new FormatException("A client needs a client_secret or keys.");
        return client;
    }

    private static string? Text(JsonObject json, string name, int maxLength) => json[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out string? text) => text.Length <= maxLength ? text : throw new FormatException($"{name} must be at most {maxLength} characters."),
        _ => throw new FormatException($"{name} must be a string."),
    };

    private static JsonArray Array(JsonObject json, string name) => json[name] switch
    {
        null => new JsonArray(),
        JsonArray array => array,
        _ => throw new FormatException($"{name} must be an array."),
    };

    private static string TrackingField(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue(out string? name) && CreateOptions.TrackingFields.Contains(name)
            ? name
            : throw new FormatException("required_tracking may name only " + string.Join(" and ", CreateOptions.TrackingFields) + ".");
}
