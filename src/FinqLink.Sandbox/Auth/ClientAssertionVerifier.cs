using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace FinqLink.Sandbox.Auth;

/// <summary>
/// Verifies a private_key_jwt client assertion (RFC 7523) the way an authorization server does:
/// RS256/ES256 signature with the registered key named by kid, aud = the token endpoint's URL (as configured, not as the request's Host header names it), iss = sub = client_id,
/// a live exp, and a jti that was never used before.
/// </summary>
public sealed class ClientAssertionVerifier(ClientRegistry clients, TokenStore tokens, TimeProvider time)
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(1);
    private static readonly long MaxUnixSeconds = DateTimeOffset.MaxValue.AddDays(-1).ToUnixTimeSeconds();
    private static readonly System.Text.Json.JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false };

    /// <summary>The authenticated client, or an exception whose message says which check failed.</summary>
    public RegisteredClient Verify(string assertion, IReadOnlyCollection<string> tokenEndpointUrls, string? formClientId)
    {
        var parts = assertion.Split('.');
        if (parts.Length != 3) throw new AssertionRejectedException("client_assertion is not a compact JWS");
        var header = ParseJson(parts[0], "header");
        var claims = ParseJson(parts[1], "payload");

        var issuer = Text(claims, "iss");
        if (issuer is null || Text(claims, "sub") != issuer) throw new AssertionRejectedException("iss and sub must both equal the client_id");
        if (formClientId is not null && formClientId != issuer) throw new AssertionRejectedException("client_id does not match the assertion's iss");
        var client = clients.Find(issuer) ?? throw new AssertionRejectedException("unknown client");

        var alg = Text(header, "alg");
        if (alg is not ("RS256" or "ES256")) throw new AssertionRejectedException($"alg '{alg}' is not accepted (RS256 or ES256)");
        var kid = Text(header, "kid") ?? throw new AssertionRejectedException("the JWS header has no kid");
        var key = client.PublicKeys.FirstOrDefault(k => k.Kid == kid) ?? throw new AssertionRejectedException($"kid '{kid}' is not registered for this client");
        if (key.Algorithm != alg) throw new AssertionRejectedException($"kid '{kid}' is registered for {key.Algorithm}, not {alg}");
        if (!SignatureIsValid(key, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), DecodeSegment(parts[2], "signature")))
            throw new AssertionRejectedException("the signature does not verify");

        if (!AudienceMatches(claims["aud"], tokenEndpointUrls)) throw new AssertionRejectedException("aud must be the token endpoint URL");
        var now = time.GetUtcNow();
        var exp = ReadTime(claims, "exp") ?? throw new AssertionRejectedException("exp is required");
        if (exp + ClockSkew < now) throw new AssertionRejectedException("the assertion has expired");
        var iat = ReadTime(claims, "iat");
        if (iat is { } issued && (issued - ClockSkew > now || exp - issued > MaxLifetime + ClockSkew))
            throw new AssertionRejectedException("iat is in the future or the assertion lives longer than an hour");
        var jti = Text(claims, "jti") ?? throw new AssertionRejectedException("jti is required");
        if (!tokens.TryUseAssertionId(client.ClientId, jti, exp + ClockSkew)) throw new AssertionRejectedException("jti was already used");
        return client;
    }

    private static bool SignatureIsValid(ClientPublicKey key, byte[] signingInput, byte[] signature) => key.Key switch
    {
        RSA rsa => rsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        ECDsa ec => ec.VerifyData(signingInput, signature, HashAlgorithmName.SHA256),
        _ => false,
    };

    private static bool AudienceMatches(JsonNode? aud, IReadOnlyCollection<string> expected) => aud switch
    {
        JsonArray list => list.Any(a => IsExpected(a, expected)),
        JsonValue one => IsExpected(one, expected),
        _ => false,
    };

    private static bool IsExpected(JsonNode? aud, IReadOnlyCollection<string> expected) =>
        aud is JsonValue value && value.TryGetValue(out string? text) && expected.Any(e => string.Equals(text.TrimEnd('/'), e.TrimEnd('/'), StringComparison.Ordinal));

    private static string? Text(JsonObject json, string name) => json[name] switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out string? text) => text,
        _ => throw new AssertionRejectedException($"{name} must be a string"),
    };

    private static DateTimeOffset? ReadTime(JsonObject claims, string name)
    {
        if (claims[name] is null) return null;
        if (claims[name] is JsonValue v && v.TryGetValue(out long seconds) && seconds >= 0 && seconds <= MaxUnixSeconds) return DateTimeOffset.FromUnixTimeSeconds(seconds);
        throw new AssertionRejectedException($"{name} must be a NumericDate (whole seconds since 1970)");
    }

    private static JsonObject ParseJson(string segment, string what)
    {
        var bytes = DecodeSegment(segment, what);
        if (!System.Text.Unicode.Utf8.IsValid(bytes)) throw new AssertionRejectedException($"the JWS {what} is not UTF-8");
        try { return JsonNode.Parse(bytes, documentOptions: Strict) as JsonObject ?? throw new AssertionRejectedException($"the JWS {what} is not a JSON object"); }
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
