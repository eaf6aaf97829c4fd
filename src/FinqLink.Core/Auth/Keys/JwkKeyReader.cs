using System;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace FinqLink.Auth.Keys
{
    /// <summary>Reads a private JWK: RSA with or without CRT parameters, or EC P-256.</summary>
    internal static class JwkKeyReader
    {
        public static AsymmetricAlgorithm Read(JsonObject jwk)
        {
            switch ((string?)jwk["kty"])
            {
                case "RSA":
                    var n = Part(jwk, "n");
                    var e = Part(jwk, "e");
                    var d = Part(jwk, "d");
                    return jwk["p"] is null
                        ? RsaKeys.FromModulusAndExponents(n, e, d)
                        : RsaKeys.Create(n, e, d, Part(jwk, "p"), Part(jwk, "q"), Part(jwk, "dp"), Part(jwk, "dq"), Part(jwk, "qi"));
                case "EC":
                    if ((string?)jwk["crv"] != "P-256") throw new FormatException("PrivateKeyPath: only EC keys on P-256 (ES256) are supported.");
                    return EcKeys.Create(Part(jwk, "x"), Part(jwk, "y"), Part(jwk, "d"));
                default:
                    throw new FormatException("PrivateKeyPath: the JWK's kty must be RSA or EC.");
            }
        }

        private static byte[] Part(JsonObject jwk, string name)
        {
            var text = (string?)jwk[name] ?? throw new FormatException($"PrivateKeyPath: the JWK has no '{name}' (a private JWK is needed).");
            return Base64Url.Decode(text);
        }
    }

    internal static class Base64Url
    {
        public static byte[] Decode(string text)
        {
            var s = text.Replace('-', '+').Replace('_', '/');
            switch (s.Length % 4)
            {
                case 2: s += "=="; break;
                case 3: s += "="; break;
            }
            return Convert.FromBase64String(s);
        }

        public static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
