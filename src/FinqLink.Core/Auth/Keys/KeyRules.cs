using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace FinqLink.Auth.Keys
{
    /// <summary>
    /// Which keys FinqLink trusts, to sign client assertions and to verify webhooks alike: RSA of 2048 bits or more for
    /// RS256, P-256 for ES256, and a JWK's alg, use and key_ops (when present) must allow that use.
    /// </summary>
    internal static class KeyRules
    {
        private const int MinimumRsaBits = 2048, MaximumRsaBits = 16384;
        public const string Sign = "sign", Verify = "verify";

        public static string AlgorithmOf(AsymmetricAlgorithm key) => key is RSA ? SecurityAlgorithms.RsaSha256 : SecurityAlgorithms.EcdsaSha256;

        /// <summary>Refuses an RSA modulus outside 2048–16384 bits before any arithmetic is spent on it.</summary>
        public static void RequireRsaModulus(byte[] modulus)
        {
            var bits = BitLength(modulus);
            if (bits < MinimumRsaBits)
                throw new KeyFormatException($"The key cannot be used: {TooWeak(bits)}. Generate a new key as Finqware's key script does (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048).");
            if (bits > MaximumRsaBits) throw new KeyFormatException($"The key cannot be used: the RSA key has {bits} bits, over the {MaximumRsaBits} supported. Use a 2048- to 4096-bit key.");
        }

        /// <summary>Why <paramref name="key"/> may not be used for RS256 or ES256, or null when it may.</summary>
        public static string? Weakness(AsymmetricAlgorithm key)
        {
            switch (key)
            {
                case RSA rsa when rsa.KeySize < MinimumRsaBits: return TooWeak(rsa.KeySize);
                case RSA _: return null;
                case ECDsa ec when !IsP256(ec): return $"the EC key is not on P-256 ({ec.KeySize} bits); ES256 needs P-256";
                case ECDsa _: return null;
                default: return $"a {key.GetType().Name} key cannot sign RS256 or ES256; use an RSA or EC P-256 key";
            }
        }

        /// <summary>Why a JWK may not be used to <paramref name="operation"/> (sign or verify), or null when its members allow it.</summary>
        public static string? Refusal(JsonWebKey jwk, string operation)
        {
            if (jwk.Kty != JsonWebAlgorithmsKeyTypes.RSA && jwk.Kty != JsonWebAlgorithmsKeyTypes.EllipticCurve)
                return jwk.Kty == null ? "it has no kty" : $"its kty is '{jwk.Kty}'; RS256 needs RSA and ES256 needs EC";
            var expected = jwk.Kty == JsonWebAlgorithmsKeyTypes.RSA ? SecurityAlgorithms.RsaSha256 : SecurityAlgorithms.EcdsaSha256;
            if (jwk.Alg != null && jwk.Alg != expected) return $"its alg is '{jwk.Alg}'; a {jwk.Kty} key is trusted for {expected} only";
            if (jwk.Kty == JsonWebAlgorithmsKeyTypes.EllipticCurve && jwk.Crv != JsonWebKeyECTypes.P256) return $"its curve is '{jwk.Crv ?? "(none)"}'; ES256 needs P-256";
            if (jwk.Use != null && jwk.Use != JsonWebKeyUseNames.Sig) return $"its use is '{jwk.Use}', not 'sig'";
            if (jwk.KeyOps.Count > 0 && !jwk.KeyOps.Contains(operation)) return $"its key_ops ({string.Join(", ", jwk.KeyOps)}) do not include '{operation}'";
            return null;
        }

        private static string TooWeak(int bits) => $"the RSA key has {bits} bits; RS256 needs {MinimumRsaBits} bits or more";

        private static bool IsP256(ECDsa ec)
        {
            try
            {
                var curve = ec.ExportParameters(false).Curve;
                return curve.IsNamed && (curve.Oid.Value == EcCurves.P256 || curve.Oid.FriendlyName == "nistP256" || curve.Oid.FriendlyName == "ECDSA_P256");
            }
            catch (CryptographicException) { return ec.KeySize == 256; }
        }

        private static int BitLength(byte[] bigEndian)
        {
            var first = 0;
            while (first < bigEndian.Length && bigEndian[first] == 0) first++;
            if (first == bigEndian.Length) return 0;
            var bits = (bigEndian.Length - first - 1) * 8;
            for (int top = bigEndian[first]; top != 0; top >>= 1) bits++;
            return bits;
        }
    }
}
