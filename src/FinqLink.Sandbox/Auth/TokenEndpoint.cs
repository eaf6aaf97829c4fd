using System;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.Tasks;
using FinqLink.Sandbox.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace FinqLink.Sandbox.Auth;

/// <summary>
/// The OAuth2 token endpoint (client credentials). Answers the RFC 6749 shapes an Okta authorization
/// server answers: <c>{access_token, token_type, expires_in, scope}</c> or <c>{error, error_description}</c>.
/// </summary>
public sealed class TokenEndpoint
{
    public const string Path = "/oauth2/v1/token";
    public const string Scope = "pay_by_link";
    private const string JwtBearerType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private readonly ClientRegistry _clients;
    private readonly ClientAssertionVerifier _assertions;
    private readonly TokenStore _tokens;
    private readonly SandboxSettings _settings;
    private readonly Counters _counters;

    public TokenEndpoint(ClientRegistry clients, ClientAssertionVerifier assertions, TokenStore tokens, SandboxSettings settings, Counters counters)
    {
        _counters = counters;
        _clients = clients;
        _assertions = assertions;
        _tokens = tokens;
        _settings = settings;
    }

    public async Task<IResult> HandleAsync(HttpContext http)
    {
        if (!http.Request.HasFormContentType) return Error(400, "invalid_request", "The body must be application/x-www-form-urlencoded.");
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        if (form["grant_type"] != "client_credentials") return Error(400, "unsupported_grant_type", "Only client_credentials is supported.");
        var scope = (string?)form["scope"] ?? Scope;
        if (scope != Scope) return Error(400, "invalid_scope", $"The only scope is '{Scope}'.");

        RegisteredClient? client;
        var assertion = (string?)form["client_assertion"];
        if (assertion is not null)
        {
            if (form["client_assertion_type"] != JwtBearerType) return Error(400, "invalid_request", "client_assertion_type must be " + JwtBearerType);
            var endpointUrl = $"{http.Request.Scheme}://{http.Request.Host}{Path}";
            try { client = _assertions.Verify(assertion, endpointUrl, form["client_id"]); }
            catch (AssertionRejectedException e) { return Error(401, "invalid_client", "The client assertion was rejected: " + e.Message); }
        }
        else
        {
            var (id, secret) = ReadSecret(http, (string?)form["client_id"], (string?)form["client_secret"]);
            client = id is null ? null : _clients.Find(id);
            if (client?.ClientSecret is null || secret is null || !FixedTimeEquals(client.ClientSecret, secret))
                return Error(401, "invalid_client", "Client authentication failed.");
        }

        var lifetime = _settings.TokenLifetime;
        _counters.TokenIssued();
        return Results.Json(new
        {
            token_type = "Bearer",
            expires_in = (int)Math.Max(1, lifetime.TotalSeconds),
            access_token = _tokens.Issue(client.ClientId, lifetime),
            scope,
        });
    }

    private static (string? Id, string? Secret) ReadSecret(HttpContext http, string? formId, string? formSecret)
    {
        if (AuthenticationHeaderValue.TryParse(http.Request.Headers.Authorization, out var header) && header.Scheme == "Basic" && header.Parameter is not null)
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter)).Split(':', 2);
            if (pair.Length == 2) return (Uri.UnescapeDataString(pair[0]), Uri.UnescapeDataString(pair[1]));
        }
        return (formId, formSecret);
    }

    internal static bool FixedTimeEquals(string a, string b) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    private static IResult Error(int status, string error, string description) =>
        Results.Json(new { error, error_description = description }, statusCode: status);
}
