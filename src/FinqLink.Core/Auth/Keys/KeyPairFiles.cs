using System;
using System.Formats.Asn1;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace FinqLink.Auth.Keys
{
    /// <summary>The files Finqware's key script writes, and what to register: the key id and the public JWK.</summary>
    public sealed class KeyPair
    {
        internal KeyPair(string keyId, string folder, JsonObject publicJwk)
        {
            KeyId = keyId;
            PrivateKeyPath = Path.Combine(folder, KeyPairFiles.PrivatePem);
            PublicKeyPath = Path.Combine(folder, KeyPairFiles.PublicPem);
            PrivateJwkPath = Path.Combine(folder, KeyPairFiles.PrivateJwk);
            PublicJwkPath = Path.Combine(folder, KeyPairFiles.PublicJwk);
            PublicJwkJson = publicJwk.ToJsonString();
        }

        public string KeyId { get; }
        public string PrivateKeyPath { get; }
        public string PublicKeyPath { get; }
        public string PrivateJwkPath { get; }
        public string PublicJwkPath { get; }
        /// <summary>{kty, kid, n, e, alg, use}: what Finqware (or the local sandbox) registers.</summary>
        public string PublicJwkJson { get; }
    }

    /// <summary>
    /// Makes an RS256 key pair as Finqware's key script does (openssl genpkey RSA 2048, a 32-byte hex kid): private.key.pem
    /// (PKCS#8), public.key.pem (SubjectPublicKeyInfo), private.key.json (n, e, d only) and public.key.json.
    /// </summary>
    public static class KeyPairFiles
    {
        internal const string PrivatePem = "private.key.pem", PublicPem = "public.key.pem", PrivateJwk = "private.key.json", PublicJwk = "public.key.json";
        private const string RsaEncryption = "1.2.840.113549.1.1.1";

        public static KeyPair Create(string folder, bool overwrite)
        {
            PrepareFolder(folder, overwrite);
            using var rsa = RSA.Create();
            rsa.KeySize = 2048;
            return Write(folder, rsa.ExportParameters(includePrivateParameters: true));
        }

        /// <summary>The files of a given key: tests write keys whose numbers have leading zero bytes, which a new key has only by chance.</summary>
        internal static KeyPair Create(string folder, bool overwrite, RSAParameters key)
        {
            PrepareFolder(folder, overwrite);
            return Write(folder, key);
        }

        private static void PrepareFolder(string folder, bool overwrite)
        {
            Directory.CreateDirectory(folder);
            foreach (var name in new[] { PrivatePem, PublicPem, PrivateJwk, PublicJwk })
            {
                var path = Path.Combine(folder, name);
                if (File.Exists(path) && !overwrite) throw new IOException($"Path: {path} exists; use -Force to replace the key pair.");
            }
        }

        private static KeyPair Write(string folder, RSAParameters key)
        {
            var kid = Hex(RandomBytes(32));

            var publicJwk = new JsonObject { ["kty"] = "RSA", ["kid"] = kid, ["n"] = Base64UrlEncoder.Encode(key.Modulus!), ["e"] = Base64UrlEncoder.Encode(key.Exponent!), ["alg"] = "RS256", ["use"] = "sig" };
            var privateJwk = new JsonObject { ["kty"] = "RSA", ["kid"] = kid, ["n"] = Base64UrlEncoder.Encode(key.Modulus!), ["e"] = Base64UrlEncoder.Encode(key.Exponent!), ["d"] = Base64UrlEncoder.Encode(key.D!), ["alg"] = "RS256", ["use"] = "sig" };
            var indented = new System.Text.Json.JsonSerializerOptions { WriteIndented = true };
            WritePrivate(Path.Combine(folder, PrivatePem), Pem("PRIVATE KEY", Pkcs8(key)));
            File.WriteAllText(Path.Combine(folder, PublicPem), Pem("PUBLIC KEY", SubjectPublicKeyInfo(key)));
            WritePrivate(Path.Combine(folder, PrivateJwk), privateJwk.ToJsonString(indented));
            File.WriteAllText(Path.Combine(folder, PublicJwk), publicJwk.ToJsonString(indented));
            return new KeyPair(kid, folder, publicJwk);
        }

        private static byte[] Pkcs8(RSAParameters key)
        {
            var rsaPrivateKey = new AsnWriter(AsnEncodingRules.DER);
            using (rsaPrivateKey.PushSequence())
            {
                rsaPrivateKey.WriteInteger(0);
                foreach (var part in new[] { key.Modulus, key.Exponent, key.D, key.P, key.Q, key.DP, key.DQ, key.InverseQ })
                    rsaPrivateKey.WriteIntegerUnsigned(Minimal(part!));
            }
            var info = new AsnWriter(AsnEncodingRules.DER);
            using (info.PushSequence())
            {
                info.WriteInteger(0);
                WriteRsaAlgorithm(info);
                info.WriteOctetString(rsaPrivateKey.Encode());
            }
            return info.Encode();
        }

        private static byte[] SubjectPublicKeyInfo(RSAParameters key)
        {
            var rsaPublicKey = new AsnWriter(AsnEncodingRules.DER);
            using (rsaPublicKey.PushSequence())
            {
                rsaPublicKey.WriteIntegerUnsigned(Minimal(key.Modulus!));
                rsaPublicKey.WriteIntegerUnsigned(Minimal(key.Exponent!));
            }
            var info = new AsnWriter(AsnEncodingRules.DER);
            using (info.PushSequence())
            {
                WriteRsaAlgorithm(info);
                info.WriteBitString(rsaPublicKey.Encode());
            }
            return info.Encode();
        }

        /// <summary>
        /// RSAParameters pads D, DP, DQ and InverseQ to fixed lengths, so about one key in sixteen has a leading zero byte;
        /// DER integers must be minimal, and AsnWriter refuses the padded form.
        /// </summary>
        private static ReadOnlySpan<byte> Minimal(byte[] unsigned)
        {
            var start = 0;
            while (start < unsigned.Length - 1 && unsigned[start] == 0) start++;
            return new ReadOnlySpan<byte>(unsigned, start, unsigned.Length - start);
        }

        private static void WriteRsaAlgorithm(AsnWriter writer)
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(RsaEncryption);
                writer.WriteNull();
            }
        }

        private static string Pem(string label, byte[] der)
        {
            var text = new StringBuilder().Append("-----BEGIN ").Append(label).Append("-----\n");
            var base64 = Convert.ToBase64String(der);
            for (var i = 0; i < base64.Length; i += 64) text.Append(base64, i, Math.Min(64, base64.Length - i)).Append('\n');
            return text.Append("-----END ").Append(label).Append("-----\n").ToString();
        }

        /// <summary>Private key files are readable by their owner only where the platform has Unix permissions.</summary>
        private static void WritePrivate(string path, string text)
        {
            File.WriteAllText(path, "");
            OwnerOnly.Apply(path);
            File.WriteAllText(path, text);
        }

        private static byte[] RandomBytes(int count)
        {
            var bytes = new byte[count];
            using var random = RandomNumberGenerator.Create();
            random.GetBytes(bytes);
            return bytes;
        }

        private static string Hex(byte[] bytes) => BitConverter.ToString(bytes).Replace("-", "").ToLowerInvariant();
    }
}
