using System;
using System.IO;
using System.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using FinqLink.Auth.Keys;
using Microsoft.IdentityModel.Tokens;

namespace FinqLink.Auth
{
    /// <summary>
    /// The private key that signs client assertions (RS256 with RSA, ES256 with P-256) and its registered key id.
    /// Loads PEM (PKCS#8, PKCS#1, SEC1), JWK (including the n/e/d-only private JWK of FinqLink's key script),
    /// PFX files and X509Certificate2 objects.
    /// </summary>
    public sealed class SigningKey
    {
        private readonly AsymmetricAlgorithm _key;

        private SigningKey(AsymmetricAlgorithm key, string keyId, string source)
        {
            if (string.IsNullOrWhiteSpace(keyId))
                throw new ArgumentException("KeyId: a key id (kid) is required; use the kid Finqware registered with your public key.");
            _key = key;
            KeyId = keyId;
            Source = source;
            Algorithm = key is RSA ? "RS256" : "ES256";
        }

        public string KeyId { get; }
        public string Algorithm { get; }
        /// <summary>Where the key came from (a path or a certificate subject), for display.</summary>
        public string Source { get; }

        public static SigningKey FromFile(string path, string? keyId)
        {
            var text = File.ReadAllText(path).Trim();
            if (text.StartsWith("{", StringComparison.Ordinal)) return FromJwk(text, keyId, path);
            if (text.StartsWith("-----BEGIN", StringComparison.Ordinal)) return new SigningKey(PemKeyReader.Read(text), keyId ?? "", path);
            throw new FormatException($"PrivateKeyPath: {path} is neither a PEM private key nor a JWK.");
        }

        public static SigningKey FromJwk(string json, string? keyId, string source = "JWK")
        {
            var jwk = JsonNode.Parse(json) as JsonObject ?? throw new FormatException("PrivateKeyPath: the JWK is not a JSON object.");
            return new SigningKey(JwkKeyReader.Read(jwk), keyId ?? (string?)jwk["kid"] ?? "", source);
        }

        public static SigningKey FromCertificate(X509Certificate2 certificate, string? keyId)
        {
            if (!certificate.HasPrivateKey) throw new ArgumentException($"Certificate: {certificate.Subject} has no private key.");
            AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey() ?? certificate.GetECDsaPrivateKey()
                ?? throw new ArgumentException("Certificate: the private key must be RSA or ECDSA P-256.");
            return new SigningKey(key, keyId ?? "", certificate.Subject);
        }

        public static SigningKey FromPfx(string path, SecureString? password, string? keyId)
        {
            var certificate = new X509Certificate2(System.IO.File.ReadAllBytes(path), password, X509KeyStorageFlags.DefaultKeySet);
            return FromCertificate(certificate, keyId);
        }

        internal SigningCredentials CreateSigningCredentials() => _key is RSA rsa
            ? new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = KeyId }, SecurityAlgorithms.RsaSha256)
            : new SigningCredentials(new ECDsaSecurityKey((ECDsa)_key) { KeyId = KeyId }, SecurityAlgorithms.EcdsaSha256);

        public override string ToString() => $"{Algorithm} key {KeyId}";
    }
}
