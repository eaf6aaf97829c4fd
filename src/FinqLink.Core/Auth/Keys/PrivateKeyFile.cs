using System;
using System.Formats.Asn1;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace FinqLink.Auth.Keys
{
    /// <summary>
    /// Reads a private key file as PEM, binary DER or JWK, and proves the key signs verifiably. Whatever is wrong with the
    /// file comes out as one <see cref="KeyFormatException"/>, never as the platform parsers' own exceptions.
    /// </summary>
    internal static class PrivateKeyFile
    {
        public static (AsymmetricAlgorithm Key, string? KeyId) Read(byte[] content) => Guarded(() =>
        {
            var text = Text(content);
            if (text.StartsWith("{", StringComparison.Ordinal)) return JwkKeyReader.Read(text);
            if (text.Contains("-----BEGIN")) return (PemKeyReader.Read(text), null);
            if (content.Length > 0 && content[0] == 0x30) return (DerKeyReader.Read(content), null);
            throw new KeyFormatException("The file is not a private key: neither PEM (-----BEGIN PRIVATE KEY-----), binary DER nor a JWK. Give the private key Finqware's key script wrote (private.key.pem or private.key.json).");
        });

        public static (AsymmetricAlgorithm Key, string? KeyId) ReadJwk(string json) => Guarded(() => JwkKeyReader.Read(json.Trim()));

        private static (AsymmetricAlgorithm Key, string? KeyId) Guarded(Func<(AsymmetricAlgorithm Key, string? KeyId)> read)
        {
            try
            {
                var result = read();
                RequireSignsVerifiably(result.Key);
                return result;
            }
            catch (AsnContentException e)
            {
                throw new KeyFormatException($"The key's DER encoding is damaged ({e.Message.TrimEnd('.')}): the file is cut short or corrupted. Export the key again.", e);
            }
            catch (CryptographicException e)
            {
                throw new KeyFormatException("The platform refused the key's numbers: the file is damaged. Export the key again.", e);
            }
        }

        /// <summary>
        /// Where the platform imports key numbers unchecked (CNG, .NET Framework), a damaged one would only sign garbage at
        /// token time; one signature now tells. OpenSSL refuses such numbers on import already.
        /// </summary>
        internal static void RequireSignsVerifiably(AsymmetricAlgorithm key)
        {
            var probe = Encoding.ASCII.GetBytes("FinqLink key check");
            var verifies = key is RSA rsa
                ? rsa.VerifyData(probe, rsa.SignData(probe, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                : ((ECDsa)key).VerifyData(probe, ((ECDsa)key).SignData(probe, HashAlgorithmName.SHA256), HashAlgorithmName.SHA256);
            if (!verifies) throw new KeyFormatException("The key's parts do not belong together (its signatures do not verify): the file is damaged. Export the key again.");
        }

        private static string Text(byte[] content)
        {
            using var reader = new StreamReader(new MemoryStream(content), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
            return reader.ReadToEnd().Trim();
        }
    }
}
