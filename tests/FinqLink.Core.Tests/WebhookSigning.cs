using System;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace FinqLink.Core.Tests;

/// <summary>Signs webhooks as FinqLink does (compact JWS over the raw body) and publishes keys as JWKS members, independently of Core.</summary>
internal static class WebhookSigning
{
    public static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"type\":\"link_status_update\",\"link_id\":\"4f0e3c52-1d7a-4a55-9a0e-2b1f8c7d6e5a\",\"web_id\":\"Zp81Lm\",\"status\":\"completed\"}");

    public static string Header(string alg, string kid) => $"{{\"alg\":\"{alg}\",\"kid\":\"{kid}\"}}";

    public static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Encode(string text) => Encode(Encoding.UTF8.GetBytes(text));

    public static string Sign(string header, byte[] payload, AsymmetricAlgorithm key)
    {
        var input = Encode(header) + "." + Encode(payload);
        var data = Encoding.ASCII.GetBytes(input);
        var signature = key is RSA rsa ? rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1) : ((ECDsa)key).SignData(data, HashAlgorithmName.SHA256);
        return input + "." + Encode(signature);
    }

    public static JsonObject RsaJwk(RSA rsa, string kid)
    {
        var p = rsa.ExportParameters(false);
        return new JsonObject { ["kty"] = "RSA", ["kid"] = kid, ["alg"] = "RS256", ["use"] = "sig", ["n"] = Encode(p.Modulus!), ["e"] = Encode(p.Exponent!) };
    }

    public static JsonObject EcJwk(ECDsa ec, string kid)
    {
        var p = ec.ExportParameters(false);
        return new JsonObject { ["kty"] = "EC", ["kid"] = kid, ["alg"] = "ES256", ["use"] = "sig", ["crv"] = "P-256", ["x"] = Encode(p.Q.X!), ["y"] = Encode(p.Q.Y!) };
    }

    public static string Jwks(params JsonObject[] keys) => new JsonObject { ["keys"] = new JsonArray(keys) }.ToJsonString();
}
