using System;
using System.Buffers.Text;
using System.Collections.Generic;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using FinqLink.Sandbox.Auth;

namespace FinqLink.Sandbox.Tests;

/// <summary>An API client registered with a sandbox under an EC P-256 key, that asks the token endpoint for tokens with private_key_jwt.</summary>
internal sealed class Es256Client : IDisposable
{
    public const string Kid = "ec1";
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public Es256Client(SandboxHost sandbox)
    {
        ClientId = "es-" + Guid.NewGuid().ToString("N")[..8];
        var q = _key.ExportParameters(false).Q;
        sandbox.Control.Clients.Register(ClientRegistry.FromJson(new JsonObject
        {
            ["client_id"] = ClientId,
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kid"] = Kid, ["jwk"] = new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = Base64Url.EncodeToString(q.X), ["y"] = Base64Url.EncodeToString(q.Y) },
            }),
        }));
    }

    public string ClientId { get; }

    public string Assertion(string audience, string? jti = null) => Es256Assertion.Sign(_key, Kid, ClientId, audience, jti ?? Guid.NewGuid().ToString());

    /// <summary>POSTs a client_credentials request with <paramref name="assertion"/>; <paramref name="host"/> overrides the Host header.</summary>
    public async Task<HttpResponseMessage> RequestToken(HttpClient http, string tokenEndpointUrl, string assertion, string? host = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, tokenEndpointUrl)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials", ["scope"] = "pay_by_link", ["client_id"] = ClientId,
                ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", ["client_assertion"] = assertion,
            }),
        };
        if (host is not null) request.Headers.Host = host;
        return await http.SendAsync(request);
    }

    public void Dispose() => _key.Dispose();
}
