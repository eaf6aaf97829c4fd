using System;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace FinqLink.Sandbox.Auth;

/// <summary>A registered public key (RSA of at least 2048 bits for RS256, P-256 for ES256), read from a JWK or a PEM.</summary>
public sealed class ClientPublicKey
{
    public const int MinRsaBits = 2048;

    private ClientPublicKey(string kid, string algorithm, AsymmetricAlgorithm key)
    {
        Kid = kid;
        Algorithm = algorithm;
        Key = key;
    }

    public string Kid { get; }
    public string Algorithm { get; }
    public AsymmetricAlgorithm Key { get; }

    /// <summary>Reads a public JWK; every defect (missing member, bad base64url, an invalid key) is a FormatException.</summary>
    public static ClientPublicKey FromJwk(JsonObject jwk, string? kidOverride = null)
    {
        var kid = kidOverride ?? Member(jwk, "kid");
        try
        {
            switch (Member(jwk, "kty"))
            {
                case "RSA":
                    var rsa = RSA.Create();
                    rsa.ImportParameters(new RSAParameters { Modulus = Bytes(jwk, "n"), Exponent = Bytes(jwk, "e") });
                    return new ClientPublicKey(kid, "RS256", StrongEnough(rsa));
                case "EC":
                    if (Member(jwk, "crv") != "P-256") throw new FormatException("Only EC keys on P-256 (ES256) are supported.");
                    var ec = ECDsa.Create(new ECParameters
                    {
                        Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = Bytes(jwk, "x"), Y = Bytes(jwk, "y") },
                    });
                    return new ClientPublicKey(kid, "ES256", ec);
                default:
                    throw new FormatException("A JWK must have kty RSA or EC.");
            }
        }
        catch (CryptographicException e) { throw new FormatException($"The JWK '{kid}' is not a valid public key: {e.Message}"); }
    }

    /// <summary>Reads a PEM public key (SubjectPublicKeyInfo, or PKCS#1 RSA); a defect is a FormatException.</summary>
    public static ClientPublicKey FromPem(string kid, string pem)
    {
        try
        {
            if (pem.Contains("EC PUBLIC KEY", StringComparison.Ordinal) || LooksLikeEc(pem))
            {
                var ec = ECDsa.Create();
                ec.ImportFromPem(pem);
                if (ec.KeySize != 256) throw new FormatException("Only EC keys on P-256 (ES256) are supported.");
                return new ClientPublicKey(kid, "ES256", ec);
            }
            var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return new ClientPublicKey(kid, "RS256", StrongEnough(rsa));
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException) { throw new FormatException($"The PEM of '{kid}' is not a public key: {e.Message}"); }
    }

    private static RSA StrongEnough(RSA rsa) =>
        rsa.KeySize >= MinRsaBits ? rsa : throw new FormatException($"An RSA key must have at least {MinRsaBits} bits, not {rsa.KeySize}.");

    private static bool LooksLikeEc(string pem)
    {
        using var probe = ECDsa.Create();
        try { probe.ImportFromPem(pem); return true; }
        catch (Exception e) when (e is CryptographicException or ArgumentException) { return false; }
    }

    private static string Member(JsonObject jwk, string name) => jwk[name] switch
    {
        JsonValue v when v.TryGetValue(out string? text) => text,
        null => throw new FormatException($"The JWK has no '{name}'."),
        _ => throw new FormatException($"The JWK's '{name}' must be a string."),
    };

    private static byte[] Bytes(JsonObject jwk, string name) => Base64Url.DecodeFromChars(Member(jwk, name));
}
