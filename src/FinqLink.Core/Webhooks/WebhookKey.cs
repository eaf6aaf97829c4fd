using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FinqLink.Auth.Keys;
using Microsoft.IdentityModel.Tokens;

namespace FinqLink.Webhooks
{
    /// <summary>
    /// One public key from FinqLink's JWKS (<c>/.well-known/jwks.json</c>), which signs webhooks. A key the JWKS publishes
    /// but FinqLink's rules refuse (RSA under 2048 bits, a curve other than P-256, use other than sig, key_ops without
    /// verify, alg other than RS256/ES256) is kept with its <see cref="Refusal"/> and verifies nothing.
    /// </summary>
    public sealed class WebhookKey
    {
        private readonly SignatureProvider? _verifier;

        private WebhookKey(JsonWebKey jwk, string algorithm, int keySize, SignatureProvider? verifier, string? refusal)
        {
            KeyId = jwk.Kid;
            Algorithm = algorithm;
            KeyType = jwk.Kty ?? "";
            Use = jwk.Use;
            KeySize = keySize;
            Json = PublicMembers(jwk);
            _verifier = verifier;
            Refusal = refusal;
        }

        public string KeyId { get; }
        /// <summary>RS256 or ES256: the only algorithm this key verifies.</summary>
        public string Algorithm { get; }
        public string KeyType { get; }
        public string? Use { get; }
        public int KeySize { get; }
        /// <summary>The key as published (public members only).</summary>
        public string Json { get; }
        /// <summary>Why this key is not trusted, or null when it verifies webhooks.</summary>
        public string? Refusal { get; }

        public override string ToString() => Refusal == null ? $"{KeyId} ({Algorithm})" : $"{KeyId} (refused: {Refusal})";

        internal bool Verify(byte[] signingInput, byte[] signature)
        {
            if (_verifier == null || signature.Length == 0) return false;
            try { return _verifier.Verify(signingInput, signature); }
            catch (Exception e) when (e is CryptographicException || e is ArgumentException) { return false; }
        }

        /// <summary>The key a JWKS member describes, or null when it has no kid (no webhook could name it).</summary>
        internal static WebhookKey? FromJwk(JsonWebKey jwk)
        {
            if (string.IsNullOrEmpty(jwk.Kid)) return null;
            var algorithm = jwk.Alg ?? (jwk.Kty == JsonWebAlgorithmsKeyTypes.EllipticCurve ? SecurityAlgorithms.EcdsaSha256 : SecurityAlgorithms.RsaSha256);
            var refusal = KeyRules.Refusal(jwk, KeyRules.Verify);
            if (refusal != null) return new WebhookKey(jwk, algorithm, 0, null, refusal);
            AsymmetricAlgorithm key;
            try { key = jwk.Kty == JsonWebAlgorithmsKeyTypes.RSA ? Rsa(jwk) : (AsymmetricAlgorithm)Ec(jwk); }
            catch (Exception e) when (e is FormatException || e is CryptographicException || e is ArgumentException)
            {
                return new WebhookKey(jwk, algorithm, 0, null, "its public numbers are missing or malformed");
            }
            refusal = KeyRules.Weakness(key);
            if (refusal != null) return new WebhookKey(jwk, algorithm, key.KeySize, null, refusal);
            SecurityKey securityKey = key is RSA rsa ? new RsaSecurityKey(rsa) { KeyId = jwk.Kid } : new ECDsaSecurityKey((ECDsa)key) { KeyId = jwk.Kid };
            // Each key owns its provider, so refetched JWKS copies never pile up in the factory's shared cache.
            var verifier = CryptoProviderFactory.Default.CreateForVerifying(securityKey, algorithm, cacheProvider: false);
            return new WebhookKey(jwk, algorithm, key.KeySize, verifier, null);
        }

        private static RSA Rsa(JsonWebKey jwk)
        {
            var rsa = RSA.Create();
            rsa.ImportParameters(new RSAParameters { Modulus = Base64UrlEncoder.DecodeBytes(jwk.N), Exponent = Base64UrlEncoder.DecodeBytes(jwk.E) });
            return rsa;
        }

        private static ECDsa Ec(JsonWebKey jwk) => ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64UrlEncoder.DecodeBytes(jwk.X), Y = Base64UrlEncoder.DecodeBytes(jwk.Y) },
        });

        private static string PublicMembers(JsonWebKey jwk)
        {
            var json = new JsonObject();
            foreach (var (name, value) in new[] { ("kty", jwk.Kty), ("kid", jwk.Kid), ("alg", jwk.Alg), ("use", jwk.Use), ("crv", jwk.Crv), ("n", jwk.N), ("e", jwk.E), ("x", jwk.X), ("y", jwk.Y) })
                if (value != null) json[name] = value;
            if (jwk.KeyOps.Count > 0) json["key_ops"] = new JsonArray(jwk.KeyOps.Select(op => (JsonNode?)op).ToArray());
            return json.ToJsonString();
        }
    }
}
