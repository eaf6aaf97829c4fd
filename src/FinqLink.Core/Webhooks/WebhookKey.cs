using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace FinqLink.Webhooks
{
    /// <summary>One public key from FinqLink's JWKS (<c>/.well-known/jwks.json</c>), which signs webhooks.</summary>
    public sealed class WebhookKey
    {
        private WebhookKey(string kid, string alg, string keyType, string? use, int keySize, string json, AsymmetricAlgorithm key)
        {
            KeyId = kid;
            Algorithm = alg;
            KeyType = keyType;
            Use = use;
            KeySize = keySize;
            Json = json;
            Key = key;
        }

        public string KeyId { get; }
        /// <summary>RS256 or ES256: the only algorithm this key verifies.</summary>
        public string Algorithm { get; }
        public string KeyType { get; }
        public string? Use { get; }
        public int KeySize { get; }
        /// <summary>The key as published (public members only).</summary>
        public string Json { get; }

        internal AsymmetricAlgorithm Key { get; }

        public override string ToString() => $"{KeyId} ({Algorithm})";

        internal static WebhookKey FromJwk(JsonObject jwk)
        {
            var kid = (string?)jwk["kid"] ?? throw new FormatException("Jwks: a key has no kid.");
            var kty = (string?)jwk["kty"];
            var alg = (string?)jwk["alg"] ?? (kty == "EC" ? "ES256" : "RS256");
            AsymmetricAlgorithm key;
            if (kty == "RSA" && alg == "RS256")
            {
                var rsa = RSA.Create();
                rsa.ImportParameters(new RSAParameters { Modulus = Part(jwk, "n", kid), Exponent = Part(jwk, "e", kid) });
                key = rsa;
            }
            else if (kty == "EC" && alg == "ES256" && (string?)jwk["crv"] == "P-256")
            {
                key = ECDsa.Create(new ECParameters
                {
                    Curve = ECCurve.NamedCurves.nistP256,
                    Q = new ECPoint { X = Part(jwk, "x", kid), Y = Part(jwk, "y", kid) },
                });
            }
            else throw new FormatException($"Jwks: key {kid} is {kty}/{alg}; webhooks are signed with RS256 or ES256 (P-256) only.");
            return new WebhookKey(kid, alg, kty!, (string?)jwk["use"], key.KeySize, jwk.ToJsonString(), key);
        }

        private static byte[] Part(JsonObject jwk, string name, string kid)
        {
            var text = (string?)jwk[name] ?? throw new FormatException($"Jwks: key {kid} has no '{name}'.");
            return Base64UrlEncoder.DecodeBytes(text);
        }
    }

    /// <summary>A parsed JWKS document: keys in the order published (newest first).</summary>
    public sealed class WebhookKeySet
    {
        public WebhookKeySet(IReadOnlyList<WebhookKey> keys) => Keys = keys;

        public IReadOnlyList<WebhookKey> Keys { get; }

        public WebhookKey? Find(string kid) => Keys.FirstOrDefault(k => string.Equals(k.KeyId, kid, StringComparison.Ordinal));

        /// <summary>Reads a JWKS document; keys of other types or algorithms are skipped, never trusted.</summary>
        public static WebhookKeySet Parse(string json)
        {
            JsonNode? node;
            try { node = JsonNode.Parse(json); }
            catch (JsonException e) { throw new FormatException("Jwks: not valid JSON (" + e.Message + ")", e); }
            var keys = (node as JsonObject)?["keys"] as JsonArray ?? throw new FormatException("Jwks: expected an object with a 'keys' array.");
            var parsed = new List<WebhookKey>();
            foreach (var jwk in keys.OfType<JsonObject>())
            {
                try { parsed.Add(WebhookKey.FromJwk(jwk)); }
                catch (FormatException) { }
                catch (CryptographicException) { }
            }
            return new WebhookKeySet(parsed);
        }

        /// <summary>Rebuilds a set from keys (e.g. the output of Get-FinqWebhookKey piped back in).</summary>
        public static WebhookKeySet FromKeys(IEnumerable<WebhookKey> keys) => new WebhookKeySet(keys.ToList());
    }
}
