using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Webhooks;
using Xunit;
using static FinqLink.Core.Tests.WebhookSigning;

namespace FinqLink.Core.Tests;

/// <summary>The attack matrix: forged or tampered webhooks that must fail, next to the genuine ones that must pass.</summary>
public sealed class WebhookVerifierTests
{
    private static readonly RSA Rsa = RSA.Create(2048);
    private static readonly ECDsa Ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private static readonly RSA Attacker = RSA.Create(2048);
    private const string RsaKid = "2025-03-key", EcKid = "2024-12-key";

    private static readonly WebhookKeySet Keys = WebhookKeySet.Parse(Jwks(RsaJwk(Rsa, RsaKid), EcJwk(Ec, EcKid)));

    private static WebhookVerification Verify(byte[] body, string? signature, string? kid) =>
        WebhookVerifier.VerifyAsync(body, signature, kid, (k, _) => Task.FromResult(Keys.Find(k)), CancellationToken.None).GetAwaiter().GetResult();

    [Fact]
    public void Genuine_RS256_and_ES256_webhooks_verify()
    {
        var rs256 = Verify(Body, Sign(Header("RS256", RsaKid), Body, Rsa), RsaKid);
        Assert.True(rs256.IsValid, rs256.Failure);
        Assert.Equal((RsaKid, "RS256"), (rs256.KeyId, rs256.Algorithm));
        Assert.True(Verify(Body, Sign(Header("ES256", EcKid), Body, Ec), EcKid).IsValid);
        Assert.True(Verify(Body, Sign("{\"alg\":\"RS256\"}", Body, Rsa), RsaKid).IsValid, "a JWS header without a kid defers to x-signature-kid");
        Assert.True(Verify(Body, " " + Sign(Header("RS256", RsaKid), Body, Rsa) + "\r\n", RsaKid).IsValid, "header whitespace is trimmed");
    }

    public static IEnumerable<object[]> Forgeries()
    {
        var good = Sign(Header("RS256", RsaKid), Body, Rsa);
        var parts = good.Split('.');
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Body).Replace("completed", "funds_received"));
        var reserialized = Encoding.UTF8.GetBytes(JsonNode.Parse(Body)!.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        var hmacKey = Encoding.ASCII.GetBytes(Keys.Find(RsaKid)!.Json);

        yield return Case("body changed after signing", tampered, good, RsaKid, "differs from the body");
        yield return Case("body re-serialised (whitespace)", reserialized, good, RsaKid, "differs from the body");
        yield return Case("payload of another webhook", Body, Sign(Header("RS256", RsaKid), tampered, Rsa), RsaKid, "differs from the body");
        yield return Case("alg none, no signature", Body, $"{Encode("{\"alg\":\"none\",\"kid\":\"" + RsaKid + "\"}")}.{parts[1]}.", RsaKid, "not accepted");
        yield return Case("HS256 keyed with the public key", Body, HmacSign(Header("HS256", RsaKid), Body, hmacKey), RsaKid, "not accepted");
        yield return Case("no alg", Body, Sign($"{{\"kid\":\"{RsaKid}\"}}", Body, Rsa), RsaKid, "'(none)' is not accepted");
        yield return Case("unknown kid", Body, Sign(Header("RS256", "forged-kid"), Body, Attacker), "forged-kid", "not in FinqLink's JWKS");
        yield return Case("kid only in the JWS header, no x-signature-kid", Body, good, null, "x-signature-kid header is missing");
        yield return Case("empty x-signature-kid", Body, good, "", "x-signature-kid header is missing");
        yield return Case("header kid differs from x-signature-kid", Body, Sign(Header("RS256", EcKid), Body, Rsa), RsaKid, "differs from x-signature-kid");
        yield return Case("signed by an attacker's key under a real kid", Body, Sign(Header("RS256", RsaKid), Body, Attacker), RsaKid, "does not verify");
        yield return Case("signature bytes flipped", Body, $"{parts[0]}.{parts[1]}.{Encode(Flip(Decode(parts[2])))}", RsaKid, "does not verify");
        yield return Case("signature removed", Body, $"{parts[0]}.{parts[1]}.", RsaKid, "does not verify");
        yield return Case("RS256 header on the ES256 key", Body, Sign(Header("RS256", EcKid), Body, Rsa), EcKid, "is ES256");
        yield return Case("ES256 header on the RSA key", Body, Sign(Header("ES256", RsaKid), Body, Ec), RsaKid, "is RS256");
        yield return Case("two parts", Body, $"{parts[0]}.{parts[1]}", RsaKid, "not a compact JWS");
        yield return Case("four parts", Body, good + ".x", RsaKid, "not a compact JWS");
        yield return Case("five parts (JWE)", Body, good + ".x.y", RsaKid, "not a compact JWS");
        yield return Case("detached (empty) payload", Body, $"{parts[0]}..{parts[2]}", RsaKid, "does not verify");
        yield return Case("non-base64url characters", Body, good.Replace('-', '+').Replace('_', '/'), RsaKid, "not base64url");
        yield return Case("base64 padding", Body, good + "==", RsaKid, "not base64url");
        yield return Case("signature with stray trailing bits", Body, $"{parts[0]}.{parts[1]}.{parts[2][..^1]}{(char)(parts[2][^1] + 1)}", RsaKid, "stray bits");
        yield return Case("impossible base64 length", Body, $"{parts[0]}.{parts[1]}.{parts[2]}{new string('A', (5 - parts[2].Length % 4) % 4)}", RsaKid, "not base64url");
        yield return Case("missing x-signature", Body, null, RsaKid, "x-signature header is missing");
        yield return Case("embedded jwk header", Body, Sign($"{{\"alg\":\"RS256\",\"kid\":\"{RsaKid}\",\"jwk\":{{}}}}", Body, Rsa), RsaKid, "'jwk'");
        yield return Case("remote jku header", Body, Sign($"{{\"alg\":\"RS256\",\"kid\":\"{RsaKid}\",\"jku\":\"https://attacker.test/jwks\"}}", Body, Rsa), RsaKid, "'jku'");
        yield return Case("remote x5u header", Body, Sign($"{{\"alg\":\"RS256\",\"kid\":\"{RsaKid}\",\"x5u\":\"https://attacker.test/cert\"}}", Body, Rsa), RsaKid, "'x5u'");
        yield return Case("embedded x5c header", Body, Sign($"{{\"alg\":\"RS256\",\"kid\":\"{RsaKid}\",\"x5c\":[\"MIIB\"]}}", Body, Rsa), RsaKid, "'x5c'");
        yield return Case("critical extension", Body, Sign($"{{\"alg\":\"RS256\",\"kid\":\"{RsaKid}\",\"crit\":[\"exp\"]}}", Body, Rsa), RsaKid, "'crit'");
        yield return Case("unencoded payload (b64:false)", Body, Sign($"{{\"alg\":\"RS256\",\"kid\":\"{RsaKid}\",\"b64\":false}}", Body, Rsa), RsaKid, "'b64'");
        yield return Case("header is not JSON", Body, $"{Encode("alg=RS256")}.{parts[1]}.{parts[2]}", RsaKid, "not a well-formed JWS");
        yield return Case("kid is not a string", Body, Sign("{\"alg\":\"RS256\",\"kid\":7}", Body, Rsa), RsaKid, "not a well-formed JWS");
        yield return Case("ES256 signature in DER form", Body, EcDer(Header("ES256", EcKid), Body), EcKid, "does not verify");
    }

    [Theory]
    [MemberData(nameof(Forgeries))]
    public void Forged_and_tampered_webhooks_are_rejected(string attack, byte[] body, string? signature, string? kid, string? reason)
    {
        var verdict = Verify(body, signature, kid);
        Assert.False(verdict.IsValid, attack);
        Assert.Contains(reason!, verdict.Failure);
    }

    [Fact]
    public async Task A_key_the_jwks_publishes_but_the_rules_refuse_verifies_nothing_and_says_why()
    {
        using var weak = RSA.Create(1024);
        var keys = WebhookKeySet.Parse(Jwks(RsaJwk(weak, "weak")));
        var verdict = await WebhookVerifier.VerifyAsync(Body, Sign(Header("RS256", "weak"), Body, weak), "weak", (k, _) => Task.FromResult(keys.Find(k)), default);
        Assert.False(verdict.IsValid);
        Assert.Contains("refused: the RSA key has 1024 bits", verdict.Failure);
    }

    [Fact]
    public void Damaged_signatures_are_answered_never_thrown_and_never_valid()
    {
        var random = new Random(15);
        foreach (var (alg, kid, key) in new (string, string, AsymmetricAlgorithm)[] { ("RS256", RsaKid, Rsa), ("ES256", EcKid, Ec) })
        {
            var good = Sign(Header(alg, kid), Body, key);
            const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.+/= {}\"";
            for (var i = 0; i < 1500; i++)
            {
                var at = random.Next(good.Length);
                var damaged = i % 3 == 0 ? good[..at] : good[..at] + alphabet[random.Next(alphabet.Length)] + good[(at + (i % 3 == 1 ? 1 : 0))..];
                var verdict = Verify(Body, damaged, kid);
                Assert.True(!verdict.IsValid || damaged == good, $"{damaged} verified");
            }
        }
    }

    private static object[] Case(string attack, byte[] body, string? signature, string? kid, string reason) => new object[] { attack, body, signature!, kid!, reason };

    private static byte[] Decode(string part) => Convert.FromBase64String(part.Replace('-', '+').Replace('_', '/') + new string('=', (4 - part.Length % 4) % 4));

    private static string EcDer(string header, byte[] payload)
    {
        var input = Encode(header) + "." + Encode(payload);
        return input + "." + Encode(Ec.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }

    private static string HmacSign(string header, byte[] payload, byte[] secret)
    {
        var input = Encode(header) + "." + Encode(payload);
        using var hmac = new HMACSHA256(secret);
        return input + "." + Encode(hmac.ComputeHash(Encoding.ASCII.GetBytes(input)));
    }

    private static byte[] Flip(byte[] bytes)
    {
        bytes[bytes.Length / 2] ^= 0x01;
        return bytes;
    }
}
