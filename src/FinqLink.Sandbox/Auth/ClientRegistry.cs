using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;

namespace FinqLink.Sandbox.Auth;

/// <summary>
/// The API clients the sandbox accepts: the built-in demo client, those of a clients file, and any
/// registered at run time through the control API.
/// </summary>
public sealed class ClientRegistry
{
    public const string DemoClientId = "demo";
    public const string DemoClientSecret = "demo-secret";

    private readonly ConcurrentDictionary<string, RegisteredClient> _clients = new(StringComparer.Ordinal);

    public ClientRegistry()
    {
        Register(new RegisteredClient { ClientId = DemoClientId, ClientSecret = DemoClientSecret, AppName = "finqlink-sandbox-demo" });
    }

    public void Register(RegisteredClient client) => _clients[client.ClientId] = client;

    public RegisteredClient? Find(string clientId) => _clients.TryGetValue(clientId, out var client) ? client : null;

    /// <summary>Reads a clients file: <c>{"clients":[{client_id, client_secret, app_name, keys:[{kid, jwk|pem}], required_tracking}]}</c>.</summary>
    public void LoadFile(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                   ?? throw new FormatException($"{path}: the clients file must hold a JSON object.");
        foreach (var item in root["clients"]?.AsArray() ?? new JsonArray())
            Register(FromJson(item!.AsObject()));
    }

    public static RegisteredClient FromJson(JsonObject json)
    {
        var client = new RegisteredClient
        {
            ClientId = (string?)json["client_id"] ?? throw new FormatException("A client needs a client_id."),
            ClientSecret = (string?)json["client_secret"],
            AppName = (string?)json["app_name"] ?? "sandbox-app",
            RequiredTracking = json["required_tracking"]?.AsArray().Select(n => (string)n!).ToList() ?? new(),
        };
        foreach (var keyNode in json["keys"]?.AsArray() ?? new JsonArray())
        {
            var key = keyNode!.AsObject();
            var kid = (string?)key["kid"];
            client.PublicKeys.Add(key["jwk"] is JsonObject jwk
                ? ClientPublicKey.FromJwk(jwk, kid)
                : ClientPublicKey.FromPem(kid ?? throw new FormatException("A PEM key needs a kid."), (string)key["pem"]!));
        }
        return client;
    }
}
