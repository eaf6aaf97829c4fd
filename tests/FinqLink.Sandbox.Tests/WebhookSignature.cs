using System;
using System.Buffers.Text;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace FinqLink.Sandbox.Tests;

/// <summary>The docs' verification recipe, with System.Security.Cryptography only: the kid from the JWKS, RS256 or ES256 per the key's alg, payload byte-identical to the body.</summary>
internal static class WebhookSignature
{
    public static bool IsValid(JsonArray jwks, string? signature, string? kid, byte[] body)
    {
        if (signature is null || kid is null) return false;
        var parts = signature.Split('.');
        var jwk = jwks.FirstOrDefault(k => (string?)k!["kid"] == kid);
        if (parts.Length != 3 || jwk is null || !Base64Url.DecodeFromChars(parts[1]).AsSpan().SequenceEqual(body)) return false;
        var header = JsonNode.Parse(Base64Url.DecodeFromChars(parts[0]))!;
        if ((string?)header["kid"] != kid || (string?)header["alg"] != (string?)jwk["alg"]) return false;
        var input = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        var sig = Base64Url.DecodeFromChars(parts[2]);
        switch ((string?)jwk["alg"])
        {
            case "RS256":
                using (var rsa = RSA.Create())
                {
                    rsa.ImportParameters(new RSAParameters { Modulus = Bytes(jwk, "n"), Exponent = Bytes(jwk, "e") });
                    return rsa.VerifyData(input, sig, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                }
            case "ES256":
                using (var ec = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = Bytes(jwk, "x"), Y = Bytes(jwk, "y") } }))
                    return ec.VerifyData(input, sig, HashAlgorithmName.SHA256);   // JWS ES256 signatures are r||s, .NET's default format
            default:
                return false;
        }
    }

    private static byte[] Bytes(JsonNode jwk, string name) => Base64Url.DecodeFromChars((string)jwk[name]!);
}
