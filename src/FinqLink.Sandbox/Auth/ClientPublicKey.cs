using System;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace FinqLink.Sandbox.Auth;

/// <summary>A registered public key (RSA for RS256, P-256 for ES256), read from a JWK or a PEM.</summary>
public sealed class ClientPublicKey
{
    private ClientPublicKey(string kid, string algorithm, AsymmetricAlgorithm key)
    {
        Kid = kid;
        Algorithm = algorithm;
        Key = key;
    }

    public string Kid { get; }
    public string Algorithm { get; }
    public AsymmetricAlgorithm Key { get; }

    public static ClientPublicKey FromJwk(JsonObject jwk, string? kidOverride = null)
    {
        var kid = kidOverride ?? (string?)jwk["kid"] ?? throw new FormatException("The JWK has no kid.");
        switch ((string?)jwk["kty"])
        {
            case "RSA":
                var rsa = RSA.Create();
                rsa.ImportParameters(new RSAParameters
                {
                    Modulus = Base64Url.DecodeFromChars(Required(jwk, "n")),
                    Exponent = Base64Url.DecodeFromChars(Required(jwk, "e")),
                });
                return new ClientPublicKey(kid, "RS256", rsa);
            case "EC":
                if ((string?)jwk["crv"] != "P-256") throw new FormatException("Only EC keys on P-256 (ES256) are supported.");
                var ec = ECDsa.Create(new ECParameters
                {
                    Curve = ECCurve.NamedCurves.nistP256,
                    Q = new ECPoint { X = Base64Url.DecodeFromChars(Required(jwk, "x")), Y = Base64Url.DecodeFromChars(Required(jwk, "y")) },
                });
                return new ClientPublicKey(kid, "ES256", ec);
            default:
                throw new FormatException("A JWK must have kty RSA or EC.");
        }
    }

    public static ClientPublicKey FromPem(string kid, string pem)
    {
        if (pem.Contains("EC PUBLIC KEY", StringComparison.Ordinal) || LooksLikeEc(pem))
        {
            var ec = ECDsa.Create();
            ec.ImportFromPem(pem);
            return new ClientPublicKey(kid, "ES256", ec);
        }
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return new ClientPublicKey(kid, "RS256", rsa);
    }

    private static bool LooksLikeEc(string pem)
    {
        using var probe = ECDsa.Create();
        try { probe.ImportFromPem(pem); return true; }
        catch (Exception e) when (e is CryptographicException or ArgumentException) { return false; }
    }

    private static string Required(JsonObject jwk, string name) =>
        (string?)jwk[name] ?? throw new FormatException($"The JWK has no '{name}'.");
}
