using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FinqLink.Auth.Keys;
using FinqLink.Webhooks;
using Xunit;
using static FinqLink.Core.Tests.WebhookSigning;

namespace FinqLink.Core.Tests;

/// <summary>Reading a JWKS: the keys FinqLink publishes verify; weak or wrong-use keys are kept with the reason they are refused.</summary>
public sealed class WebhookKeySetTests
{
    private static readonly RSA Rsa = RSA.Create(2048);
    private static readonly ECDsa Ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    [Fact]
    public void Published_keys_are_read_in_order_with_what_Get_FinqWebhookKey_shows()
    {
        var keys = WebhookKeySet.Parse(Jwks(RsaJwk(Rsa, "2025-03-key"), EcJwk(Ec, "2024-12-key")));
        Assert.Equal(new[] { ("2025-03-key", "RS256", "RSA", "sig", 2048), ("2024-12-key", "ES256", "EC", "sig", 256) },
            keys.Keys.Select(k => (k.KeyId, k.Algorithm, k.KeyType, k.Use!, k.KeySize)));
        Assert.All(keys.Keys, k => Assert.Null(k.Refusal));
        Assert.Same(keys.Keys[1], keys.Find("2024-12-key"));
        Assert.Null(keys.Find("2024-12-KEY"));
        Assert.Same(keys.Keys[0], WebhookKeySet.FromKeys(keys.Keys.Take(1)).Find("2025-03-key"));
    }

    public static IEnumerable<object[]> RefusedKeys()
    {
        using var weak = RSA.Create(1024);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        yield return Case("RSA of 1024 bits", RsaJwk(weak, "k"), "the RSA key has 1024 bits; RS256 needs 2048 bits or more");
        yield return Case("use enc", RsaJwk(Rsa, "k").With("use", "enc"), "its use is 'enc', not 'sig'");
        yield return Case("key_ops without verify", RsaJwk(Rsa, "k").With("key_ops", new JsonArray("encrypt", "wrapKey")), "do not include 'verify'");
        yield return Case("alg RS384", RsaJwk(Rsa, "k").With("alg", "RS384"), "its alg is 'RS384'");
        yield return Case("alg PS256", RsaJwk(Rsa, "k").With("alg", "PS256"), "its alg is 'PS256'");
        yield return Case("RSA key claiming ES256", RsaJwk(Rsa, "k").With("alg", "ES256"), "its alg is 'ES256'");
        yield return Case("EC on P-384", EcJwk(Ec, "k").With("crv", "P-384").With("x", Encode(p384.ExportParameters(false).Q.X!)), "its curve is 'P-384'");
        yield return Case("a symmetric key", new JsonObject { ["kty"] = "oct", ["kid"] = "k", ["k"] = "c2VjcmV0" }, "its kty is 'oct'");
        yield return Case("RSA without n", RsaJwk(Rsa, "k").Without("n"), "malformed");
        yield return Case("EC point off the curve", EcJwk(Ec, "k").With("y", Encode(new byte[32])), "malformed");
    }

    [Theory]
    [MemberData(nameof(RefusedKeys))]
    public void Weak_and_wrong_use_keys_are_refused_with_their_reason(string problem, JsonObject jwk, string reason)
    {
        var key = WebhookKeySet.Parse(Jwks(jwk, RsaJwk(Rsa, "good"))).Find("k");
        Assert.NotNull(key);
        Assert.Contains(reason, key!.Refusal);
        Assert.False(key.Verify(new byte[] { 1 }, new byte[256]), problem);
    }

    [Fact]
    public void Use_sig_and_key_ops_with_verify_are_accepted_and_a_key_without_kid_is_skipped()
    {
        var keys = WebhookKeySet.Parse(Jwks(RsaJwk(Rsa, "ops").With("key_ops", new JsonArray("verify")), RsaJwk(Rsa, "none").Without("kid")));
        Assert.Null(Assert.Single(keys.Keys).Refusal);
    }

    [Fact]
    public void A_key_published_with_private_members_shows_only_its_public_ones()
    {
        var jwk = RsaJwk(Rsa, "k");
        jwk["d"] = "c2VjcmV0";
        var json = WebhookKeySet.Parse(Jwks(jwk)).Keys[0].Json;
        Assert.DoesNotContain("\"d\"", json);
        Assert.Contains("\"n\"", json);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"keys\":5}")]
    [InlineData("{\"keys\":[{\"kty\":\"RSA\",\"kid\":7}]}")]
    [InlineData("{\"keys\":[]}")]
    [InlineData("{}")]
    [InlineData("")]
    public void A_document_that_is_no_JWKS_throws_KeyFormatException(string json) =>
        Assert.StartsWith("The JWKS", Assert.Throws<KeyFormatException>(() => WebhookKeySet.Parse(json)).Message);

    private static object[] Case(string problem, JsonObject jwk, string reason) => new object[] { problem, jwk, reason };
}
