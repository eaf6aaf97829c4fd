using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Webhooks;
using Xunit;

namespace FinqLink.Core.Tests;

/// <summary>The attack matrix: forged or tampered webhooks that must fail, next to the genuine ones that must pass.</summary>
public sealed class WebhookVerifierTests
{
    private static readonly RSA Rsa = RSA.Create(2048);
    private static readonly ECDsa Ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private static readonly RSA Attacker = RSA.Create(2048);
    private const string RsaKid = "2025-03-key", EcKid = "2024-12-key";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"type\":\"link_status_update\",\"link_id\":\"4f0e3c52-1d7a-4a55-9a0e-2b1f8c7d6e5a\",\"web_id\":\"Zp81Lm\",\"status\":\"completed\"}");

    private static readonly WebhookKeySet Keys = WebhookKeySet.Parse(new JsonObject
    {
        ["keys"] = new JsonArray(RsaJwk(Rsa, RsaKid), EcJwk(Ec, EcKid)),
    }.ToJsonString());

    private static WebhookVerification Verify(byte[] body, string? signature, string? kid) =>
        WebhookVerifier.VerifyAsync(body, signature, kid, (k, _) => Task.FromResult(Keys.Find(k)), CancellationToken.None).GetAwaiter().GetResult();

    [Fact]
    public void Genuine_RS256_and_ES256_webhooks_verify()
    {
        Assert.True(Verify(Body, Sign(Header("RS256", RsaKid), Body, Rsa), RsaKid).IsValid);
        Assert.True(Verify(Body, Sign(Header("ES256", EcKid), Body, Ec), EcKid).IsValid);
        Assert.True(Verify(Body, Sign(Header("RS256", RsaKid), Body, Rsa), null).IsValid, "the JWS header's kid serves when x-signature-kid is absent");
    }

    public static IEnumerable<object[]> Forgeries()
    {
        var good = Sign(Header("RS256", RsaKid), Body, Rsa);
        var parts = good.Split('.');
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Body).Replace("completed", "funds_received"));
        var reserialized = Encoding.UTF8.GetBytes(JsonNode.Parse(Body)!.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        var hmacKey = Encoding.ASCII.GetBytes(Keys.Find(RsaKid)!.Json);
        string B64(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        string B64s(string s) => B64(Encoding.UTF8.GetBytes(s));

        yield return Case("body changed after signing", tampered, good, RsaKid, "differs from the body");
        yield return Case("body re-serialised (whitespace)", reserialized, good, RsaKid, "differs from the body");
        yield return Case("payload of another webhook", Body, Sign(Header("RS256", RsaKid), tampered, Rsa), RsaKid, "differs from the body");
        yield return Case("alg none, no signature", Body, $"{B64s("{\"alg\":\"none\",\"kid\":\"" + RsaKid + "\"}")}.{parts[1]}.", RsaKid, "not accepted");
        yield return Case("HS256 keyed with the public key", Body, HmacSign(Header("HS256", RsaKid), Body, hmacKey), RsaKid, "not accepted");
        yield return Case("unknown kid", Body, Sign(Header("RS256", "forged-kid"), Body, Attacker), "forged-kid", "not in FinqLink's JWKS");
        yield return Case("header kid differs from x-signature-kid", Body, Sign(Header("RS256", EcKid), Body, Rsa), RsaKid, "differs from x-signature-kid");
        yield return Case("signed by an attacker's key under a real kid", Body, Sign(Header("RS256", RsaKid), Body, Attacker), RsaKid, "does not verify");
        yield return Case("signature bytes flipped", Body, $"{parts[0]}.{parts[1]}.{B64(Flip(Convert.FromBase64String(Pad(parts[2]))))}", RsaKid, "does not verify");
        yield return Case("RS256 header on the ES256 key", Body, Sign(Header("RS256", EcKid), Body, Rsa), EcKid, "is ES256");
        yield return Case("ES256 header on the RSA key", Body, Sign(Header("ES256", RsaKid), Body, Ec), RsaKid, "is RS256");
        yield return Case("two parts", Body, $"{parts[0]}.{parts[1]}", RsaKid, "not a compact JWS");
        yield return Case("four parts", Body, good + ".x", RsaKid, "not a compact JWS");
        yield return Case("detached (empty) payload", Body, $"{parts[0]}..{parts[2]}", RsaKid, "does not verify");
        yield return Case("non-base64url characters", Body, good.Replace('-', '+'), RsaKid, null);
        yield return Case("missing x-signature", Body, null, RsaKid, "missing");
        yield return Case("embedded jwk header", Body, Sign($"{{\"alg\":\"RS256\",\"kid\":\"{RsaKid}\",\"jwk\":{{}}}}", Body, Rsa), RsaKid, "jwk");
        yield return Case("critical extension", Body, Sign($"{{\"alg\":\"RS256\",\"kid\":\"{RsaKid}\",\"crit\":[\"exp\"]}}", Body, Rsa), RsaKid, "crit");
        yield return Case("unencoded payload (b64:false)", Body, Sign($"{{\"alg\":\"RS256\",\"kid\":\"{RsaKid}\",\"b64\":false}}", Body, Rsa), RsaKid, "b64");
        yield return Case("header is not JSON", Body, $"{B64s("alg=RS256")}.{parts[1]}.{parts[2]}", RsaKid, "not a JSON object");
        yield return Case("ES256 signature in DER form", Body, EcDer(Header("ES256", EcKid), Body), EcKid, "does not verify");
    }

    [Theory]
    [MemberData(nameof(Forgeries))]
    public void Forged_and_tampered_webhooks_are_rejected(string attack, byte[] body, string? signature, string? kid, string? reason)
    {
        var verdict = Verify(body, signature, kid);
        Assert.False(verdict.IsValid, attack);
        if (reason != null) Assert.Contains(reason, verdict.Failure);
    }

    [Fact]
    public async Task The_key_cache_refetches_once_for_a_new_kid_and_remembers_forged_ones()
    {
        var published = new[] { RsaKid };
        var cache = new WebhookKeyCache(_ => Task.FromResult(new JsonObject
        {
            ["keys"] = new JsonArray(published.Select(k => (JsonNode?)(k == RsaKid ? RsaJwk(Rsa, k) : EcJwk(Ec, k))).ToArray()),
        }.ToJsonString()));
        Assert.NotNull(await cache.FindAsync(RsaKid, default));
        Assert.Equal(1, cache.Fetches);
        published = new[] { EcKid, RsaKid };
        Assert.NotNull(await cache.FindAsync(EcKid, default));
        Assert.Equal(2, cache.Fetches);
        Assert.Null(await cache.FindAsync("forged", default));
        Assert.Null(await cache.FindAsync("forged", default));
        Assert.Equal(3, cache.Fetches);
    }

    private static object[] Case(string attack, byte[] body, string? signature, string? kid, string? reason) => new object[] { attack, body, signature!, kid!, reason! };

    private static string Header(string alg, string kid) => $"{{\"alg\":\"{alg}\",\"kid\":\"{kid}\"}}";

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Pad(string s) => s.Replace('-', '+').Replace('_', '/') + new string('=', (4 - s.Length % 4) % 4);

    private static string Sign(string header, byte[] payload, AsymmetricAlgorithm key)
    {
        var input = Encode(Encoding.UTF8.GetBytes(header)) + "." + Encode(payload);
        var data = Encoding.ASCII.GetBytes(input);
        var signature = key is RSA rsa ? rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1) : ((ECDsa)key).SignData(data, HashAlgorithmName.SHA256);
        return input + "." + Encode(signature);
    }

    private static string EcDer(string header, byte[] payload)
    {
        var input = Encode(Encoding.UTF8.GetBytes(header)) + "." + Encode(payload);
        return input + "." + Encode(Ec.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }

    private static string HmacSign(string header, byte[] payload, byte[] secret)
    {
        var input = Encode(Encoding.UTF8.GetBytes(header)) + "." + Encode(payload);
        using var hmac = new HMACSHA256(secret);
        return input + "." + Encode(hmac.ComputeHash(Encoding.ASCII.GetBytes(input)));
    }

    private static byte[] Flip(byte[] bytes)
    {
        bytes[bytes.Length / 2] ^= 0x01;
        return bytes;
    }

    private static JsonObject RsaJwk(RSA rsa, string kid)
    {
        var p = rsa.ExportParameters(false);
        return new JsonObject { ["kty"] = "RSA", ["kid"] = kid, ["alg"] = "RS256", ["use"] = "sig", ["n"] = Encode(p.Modulus!), ["e"] = Encode(p.Exponent!) };
    }

    private static JsonObject EcJwk(ECDsa ec, string kid)
    {
        var p = ec.ExportParameters(false);
        return new JsonObject { ["kty"] = "EC", ["kid"] = kid, ["alg"] = "ES256", ["use"] = "sig", ["crv"] = "P-256", ["x"] = Encode(p.Q.X!), ["y"] = Encode(p.Q.Y!) };
    }
}
