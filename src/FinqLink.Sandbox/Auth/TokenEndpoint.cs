using System;
using System.IO;
using System.Linq;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.Tasks;
using FinqLink.Sandbox.Hosting;
using FinqLink.Sandbox.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace FinqLink.Sandbox.Auth;

/// <summary>
/// The OAuth2 token endpoint (client credentials). Answers the RFC 6749 shapes an Okta authorization
/// server answers: <c>{access_token, token_type, expires_in, scope}</c> or <c>{error, error_description}</c>.
/// </summary>
public sealed class TokenEndpoint(ClientRegistry clients, ClientAssertionVerifier assertions, TokenStore tokens, SandboxSettings settings, Counters counters, SandboxAddresses addresses)
{
    public const string Path = "/oauth2/v1/token";
    public const string Scope = "pay_by_link";
    private const string JwtBearerType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    public async Task<IResult> HandleAsync(HttpContext http)
    {
        if (!http.Request.HasFormContentType) return Error(400, "invalid_request", "The body must be application/x-www-form-urlencoded.");
        IFormCollection form;
        try { form = await http.Request.ReadFormAsync(http.RequestAborted); }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException)
        {
            return Error(e is BadHttpRequestException bad ? bad.StatusCode : 400, "invalid_request", "The form cannot be read: " + e.Message);
        }
        if (form["grant_type"] != "client_credentials") return Error(400, "unsupported_grant_type", "Only client_credentials is supported.");
        var scope = (string?)form["scope"] ?? Scope;
        if (scope != Scope) return Error(400, "invalid_scope", $"The only scope is '{Scope}'.");

        RegisteredClient? client;
        var assertion = (string?)form["client_assertion"];
        if (assertion is not null)
        {
            if (form["client_assertion_type"] != JwtBearerType) return Error(400, "invalid_request", "client_assertion_type must be " + JwtBearerType);
            var audiences = addresses.BaseUrls.Select(url => url + Path).ToArray();
            try { client = assertions.Verify(assertion, audiences, form["client_id"]); }
            catch (AssertionRejectedException e) { return Error(401, "invalid_client", "The client assertion was rejected: " + e.Message); }
        }
        else
        {
            var (id, secret) = ReadSecret(http, (string?)form["client_id"], (string?)form["client_secret"]);
            client = id is null ? null : clients.Find(id);
            if (client?.ClientSecret is null || secret is null || !Secrets.FixedTimeEquals(client.ClientSecret, secret))
                return Error(401, "invalid_client", "Client authentication failed.");
        }

        var lifetime = settings.TokenLifetime;
        counters.TokenIssued();
        return Results.Json(new
        {
            token_type = "Bearer",
            expires_in = ExpiresIn(lifetime),
            access_token = tokens.Issue(client.ClientId, lifetime),
            scope,
        });
    }

    /// <summary>
    /// The API answers expires_in in whole seconds, so a fractional lifetime is rounded down (the client renews a little
    /// early) and a lifetime under a second is answered as 1: the token still dies after its real lifetime, and the client
    /// learns it from a 401 and renews. That is the point of sub-second lifetimes: stressing renewal.
    /// </summary>
    public static int ExpiresIn(TimeSpan lifetime) => (int)Math.Max(1, Math.Floor(lifetime.TotalSeconds));

    /// <summary>client_secret_basic (RFC 6749 §2.3.1) when an Authorization: Basic header is sent, else client_secret_post; a malformed header authenticates nobody.</summary>
    private static (string? Id, string? Secret) ReadSecret(HttpContext http, string? formId, string? formSecret)
    {
        if (!AuthenticationHeaderValue.TryParse(http.Request.Headers.Authorization, out var header) || !header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
            return (formId, formSecret);
        var decoded = new byte[((header.Parameter?.Length ?? 0) + 3) / 4 * 3];
        if (header.Parameter is null || !Convert.TryFromBase64String(header.Parameter, decoded, out var length)) return (null, null);
        var pair = Encoding.UTF8.GetString(decoded, 0, length).Split(':', 2);
        return pair.Length == 2 ? (Uri.UnescapeDataString(pair[0]), Uri.UnescapeDataString(pair[1])) : (null, null);
    }

    private static IResult Error(int status, string error, string description) =>
        Results.Json(new { error, error_description = description }, statusCode: status);
}
