using System;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace FinqLink.Auth.Keys
{
    /// <summary>Reads a private JWK: RSA with or without CRT members (Finqware's key script writes n, e and d only), or EC P-256.</summary>
    internal static class JwkKeyReader
    {
        public static (AsymmetricAlgorithm Key, string? KeyId) Read(string json)
        {
            var jwk = Parse(json);
            var refusal = KeyRules.Refusal(jwk, KeyRules.Sign);
            if (refusal != null) throw new KeyFormatException($"The JWK cannot sign client assertions: {refusal}.");
            if (jwk.Kty == JsonWebAlgorithmsKeyTypes.EllipticCurve) return (EcKeys.Create(Member(jwk.X, "x"), Member(jwk.Y, "y"), Private(jwk.D, "d")), jwk.Kid);
            if (jwk.Oth != null && jwk.Oth.Count > 0) throw new KeyFormatException("The JWK is a multi-prime RSA key ('oth'), which is not supported. Use the key Finqware's key script writes.");
            var n = Member(jwk.N, "n");
            var e = Member(jwk.E, "e");
            var d = Private(jwk.D, "d");
            var crt = new[] { jwk.P, jwk.Q, jwk.DP, jwk.DQ, jwk.QI };
            if (Array.TrueForAll(crt, string.IsNullOrEmpty)) return (RsaKeys.FromModulusAndExponents(n, e, d), jwk.Kid);
            if (Array.Exists(crt, string.IsNullOrEmpty)) throw new KeyFormatException("The JWK has some of p, q, dp, dq and qi but not all: the file is damaged. Give all five, or none (n, e and d suffice).");
            return (RsaKeys.Create(n, e, d, Member(jwk.P, "p"), Member(jwk.Q, "q"), Member(jwk.DP, "dp"), Member(jwk.DQ, "dq"), Member(jwk.QI, "qi")), jwk.Kid);
        }

        private static JsonWebKey Parse(string json)
        {
            try { return new JsonWebKey(json); }
            // The library's message would quote the JSON, key material included.
            catch (ArgumentException) { throw new KeyFormatException("The JWK is not a JSON object with string members (kty, n, e, d…): the file is damaged. Give private.key.json as Finqware's key script writes it."); }
        }

        private static byte[] Private(string? value, string name) => string.IsNullOrEmpty(value)
            ? throw new KeyFormatException($"The JWK has no '{name}': it is a public key. Give the private JWK (private.key.json) or the PEM private key.")
            : Member(value, name);

        private static byte[] Member(string? value, string name)
        {
            if (string.IsNullOrEmpty(value)) throw new KeyFormatException($"The JWK has no '{name}': the file is damaged. Give private.key.json as Finqware's key script writes it.");
            try { return Base64UrlEncoder.DecodeBytes(value); }
            catch (FormatException) { throw new KeyFormatException($"The JWK's '{name}' is not base64url: the file is damaged. Give private.key.json as Finqware's key script writes it."); }
        }
    }
}
