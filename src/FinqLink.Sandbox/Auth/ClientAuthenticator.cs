using System;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using FinqLink.Sandbox.Api;
using Microsoft.AspNetCore.Http;

namespace FinqLink.Sandbox.Auth;

/// <summary>
/// An API call's client: <c>client_id</c> is always in the body; it proves itself with the body's <c>client_secret</c>
/// (test mode) or an <c>Authorization: Bearer</c> token the token endpoint issued to that same client.
/// </summary>
public sealed class ClientAuthenticator(ClientRegistry clients, TokenStore tokens)
{
    public RegisteredClient Authenticate(HttpRequest request, JsonObject body)
    {
        var clientId = Fields.String(body, "client_id", "client_id", 128);
        if (string.IsNullOrEmpty(clientId)) throw ApiException.Unauthorized("client_id is required in the JSON body");
        var client = clients.Find(clientId) ?? throw ApiException.Unauthorized("Unknown client_id or wrong credentials");

        if (AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header) && header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            var owner = header.Parameter is null ? null : tokens.Validate(header.Parameter);
            if (owner is null) throw ApiException.Unauthorized("The access token is invalid or has expired");
            if (owner != clientId) throw ApiException.Unauthorized("The access token was issued to another client_id");
            return client;
        }
        var secret = Fields.String(body, "client_secret", "client_secret", 128);
        if (secret is null || client.ClientSecret is null || !Secrets.FixedTimeEquals(client.ClientSecret, secret))
            throw ApiException.Unauthorized("Unknown client_id or wrong credentials");
        return client;
    }
}
