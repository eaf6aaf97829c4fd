using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace FinqLink.Sandbox.Auth;

/// <summary>
/// Verifies a private_key_jwt client assertion (RFC 7523) the way an authorization server does:
/// RS256/ES256 signature with the registered key named by kid, aud = token endpoint, iss = sub = client_id,
/// a live exp, and a jti that was never used before.
/// </summary>
public sealed class ClientAssertionVerifier
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(1);

    private readonly ClientRegistry _clients;
    private readonly TokenStore _tokens;
    private readonly TimeProvider _time;

    public ClientAssertionVerifier(ClientRegistry clients, TokenStore tokens, TimeProvider time)
    {
        _clients = clients;
        _tokens = tokens;
        _time = time;
    }

    /// <summary>The authenticated client, or an exception whose message says which check failed.</summary>
    public RegisteredClient Verify(string assertion, string tokenEndpointUrl, string? formClientId)
    {
        var parts = assertion.Split('.');
        if (parts.Length != 3) throw new AssertionRejectedException("client_assertion is not a compact JWS");
        var header = ParseJson(parts[0], "header");
        var claims = ParseJson(parts[1], "payload");

        var issuer = (string?)claims["iss"];
        if (issuer is null || (string?)claims["sub"] != issuer) throw new AssertionRejectedException("iss and sub must both equal the client_id");
        if (formClientId is not null && formClientId != issuer) throw new AssertionRejectedException("client_id does not match the assertion's iss");
        var client = _clients.Find(issuer) ?? throw new AssertionRejectedException("unknown client");

        var alg = (string?)header["alg"];
        if (alg is not ("RS256" or "ES256")) throw new AssertionRejectedException($"alg '{alg}' is not accepted (RS256 or ES256)");
        var kid = (string?)header["kid"] ?? throw new AssertionRejectedException("the JWS header has no kid");
        var key = client.PublicKeys.FirstOrDefault(k => k.Kid == kid) ?? throw new AssertionRejectedException($"kid '{kid}' is not registered for this client");
        if (key.Algorithm != alg) throw new AssertionRejectedException($"kid '{kid}' is registered for {key.Algorithm}, not {alg}");
        if (!SignatureIsValid(key, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), DecodeSegment(parts[2], "signature")))
            throw new AssertionRejectedException("the signature does not verify");

        if (!AudienceMatches(claims["aud"], tokenEndpointUrl)) throw new AssertionRejectedException("aud must be the token endpoint URL");
        var now = _time.GetUtcNow();
        var exp = ReadTime(claims, "exp") ?? throw new AssertionRejectedException("exp is required");
        if (exp + ClockSkew < now) throw new AssertionRejectedException("the assertion has expired");
        var iat = ReadTime(claims, "iat");
        if (iat is { } issued && (issued - ClockSkew > now || exp - issued > MaxLifetime + ClockSkew))
            throw new AssertionRejectedException("iat is in the future or the assertion lives longer than an hour");
        var jti = (string?)claims["jti"] ?? throw new AssertionRejectedException("jti is required");
        if (!_tokens.TryUseAssertionId(client.ClientId, jti, exp + ClockSkew)) throw new AssertionRejectedException("jti was already used");
        return client;
    }

    private static bool SignatureIsValid(ClientPublicKey key, byte[] signingInput, byte[] signature) => key.Key switch
    {
        RSA rsa => rsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        ECDsa ec => ec.VerifyData(signingInput, signature, HashAlgorithmName.SHA256),
        _ => false,
    };

    private static bool AudienceMatches(JsonNode? aud, string expected) => aud switch
    {
        JsonArray list => list.Any(a => Same((string?)a, expected)),
        JsonValue one => Same((string?)one, expected),
        _ => false,
    };

    private static bool Same(string? a, string b) => a is not null && string.Equals(a.TrimEnd('/'), b.TrimEnd('/'), StringComparison.Ordinal);

    private static DateTimeOffset? ReadTime(JsonObject claims, string name) =>
        claims[name] is JsonValue v && v.TryGetValue(out long seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    private static JsonObject ParseJson(string segment, string what)
    {
        try { return JsonNode.Parse(DecodeSegment(segment, what)) as JsonObject ?? throw new AssertionRejectedException($"the JWS {what} is not a JSON object"); }
        catch (System.Text.Json.JsonException) { throw new AssertionRejectedException($"the JWS {what} is not JSON"); }
    }

    private static byte[] DecodeSegment(string segment, string what)
    {
        try { return Base64Url.DecodeFromChars(segment); }
        catch (FormatException) { throw new AssertionRejectedException($"the JWS {what} is not base64url"); }
    }
}

public sealed class AssertionRejectedException : Exception
{
    public AssertionRejectedException(string message) : base(message) { }
}
