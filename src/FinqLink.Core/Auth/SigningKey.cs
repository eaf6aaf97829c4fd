using System;
using System.IO;
using System.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FinqLink.Auth.Keys;
using Microsoft.IdentityModel.Tokens;

namespace FinqLink.Auth
{
    /// <summary>
    /// The private key that signs client assertions (RS256 with RSA of 2048 bits or more, ES256 with P-256) and its
    /// registered key id. Loads PEM (PKCS#8, PKCS#1, SEC1), binary DER, JWK (including the n/e/d-only private JWK of
    /// Finqware's key script), PFX files and X509Certificate2 objects. An unusable key throws <see cref="KeyFormatException"/>.
    /// </summary>
    public sealed class SigningKey
    {
        private readonly AsymmetricAlgorithm _key;

        private SigningKey(AsymmetricAlgorithm key, string keyId, string source)
        {
            var weakness = KeyRules.Weakness(key);
            if (weakness != null) throw new KeyFormatException($"The key cannot be used: {weakness}.");
            if (string.IsNullOrWhiteSpace(keyId))
                throw new ArgumentException("KeyId: a key id (kid) is required; use the kid Finqware registered with your public key.");
            _key = key;
            KeyId = keyId;
            Source = source;
            Algorithm = KeyRules.AlgorithmOf(key);
        }

        public string KeyId { get; }
        public string Algorithm { get; }
        /// <summary>Where the key came from (a path or a certificate subject), for display.</summary>
        public string Source { get; }

        public static SigningKey FromFile(string path, string? keyId) => FromFileContent(File.ReadAllBytes(path), keyId, path);

        /// <summary>A key given as text (PEM or JWK), such as the content of an environment variable; <paramref name="source"/> names it in messages.</summary>
        public static SigningKey FromText(string text, string? keyId, string source) => FromFileContent(System.Text.Encoding.UTF8.GetBytes(text), keyId, source);

        internal static SigningKey FromFileContent(byte[] content, string? keyId, string source)
        {
            var (key, kid) = PrivateKeyFile.Read(content);
            return new SigningKey(key, keyId ?? kid ?? "", source);
        }

        public static SigningKey FromJwk(string json, string? keyId, string source = "JWK")
        {
            var (key, kid) = PrivateKeyFile.ReadJwk(json);
            return new SigningKey(key, keyId ?? kid ?? "", source);
        }

        public static SigningKey FromCertificate(X509Certificate2 certificate, string? keyId)
        {
            if (!certificate.HasPrivateKey) throw new KeyFormatException($"The certificate '{certificate.Subject}' has no private key. Use the PFX file or store entry that holds its key.");
            AsymmetricAlgorithm key;
            try
            {
                key = (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey() ?? certificate.GetECDsaPrivateKey()
                    ?? throw new KeyFormatException($"The certificate '{certificate.Subject}' has neither an RSA nor an EC private key; RS256 needs RSA and ES256 needs EC P-256.");
            }
            catch (CryptographicException e)
            {
                throw new KeyFormatException($"The private key of certificate '{certificate.Subject}' cannot be opened: the platform refused it. Check that your account may use the key.", e);
            }
            return new SigningKey(key, keyId ?? "", certificate.Subject);
        }

        public static SigningKey FromPfx(string path, SecureString? password, string? keyId)
        {
            var bytes = File.ReadAllBytes(path);
            X509Certificate2 certificate;
            try { certificate = new X509Certificate2(bytes, password, X509KeyStorageFlags.DefaultKeySet); }
            catch (CryptographicException e)
            {
                throw new KeyFormatException("The PFX file cannot be opened: the password is wrong, or the file is not a PKCS#12 (PFX) file.", e);
            }
            return FromCertificate(certificate, keyId);
        }

        internal SigningCredentials CreateSigningCredentials() => _key is RSA rsa
            ? new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256)
            : new SigningCredentials(new ECDsaSecurityKey((ECDsa)_key) { KeyId = KeyId }, SecurityAlgorithms.EcdsaSha256);

        public override string ToString() => $"{Algorithm} key {KeyId}";
    }
}
