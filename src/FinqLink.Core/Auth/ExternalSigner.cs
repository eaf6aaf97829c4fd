using System;
using System.Formats.Asn1;
using System.Security.Cryptography;
using FinqLink.Auth.Keys;
using Microsoft.IdentityModel.Tokens;

namespace FinqLink.Auth
{
    /// <summary>What an external signer is asked to sign: the JWS signing input, its SHA-256 digest, the algorithm and key id.</summary>
    public sealed class SigningInput
    {
        internal SigningInput(byte[] data, string algorithm, string keyId)
        {
            Data = data;
            Algorithm = algorithm;
            KeyId = keyId;
            using var sha = SHA256.Create();
            Digest = sha.ComputeHash(data);
        }

        /// <summary>The bytes to sign (the assertion's "header.payload").</summary>
        public byte[] Data { get; }
        /// <summary>SHA-256 of <see cref="Data"/>: what Key Vault's sign operation and most HSMs take.</summary>
        public byte[] Digest { get; }
        /// <summary>RS256 (RSASSA-PKCS1-v1_5) or ES256 (ECDSA P-256).</summary>
        public string Algorithm { get; }
        public string KeyId { get; }
    }

    /// <summary>
    /// RFC 7523 private_key_jwt where the private key never reaches this process: the assertion is built by the JWT
    /// library, and its signature comes from <c>sign</c> (Key Vault, an HSM, a smart card). An ES256 signature may come
    /// back raw (R||S, as JWS wants) or DER-encoded (as most HSM APIs give it); DER is converted.
    /// </summary>
    public sealed class ExternalSignerCredential : IClientCredential
    {
        private readonly SigningCredentials _credentials;
        // Token requests are made one at a time (OAuthAuthenticator renews under a lock): the one in progress lends its context to the signer.
        private readonly System.Threading.AsyncLocal<TokenContext?> _context = new System.Threading.AsyncLocal<TokenContext?>();

        public ExternalSignerCredential(string keyId, string algorithm, Func<SigningInput, TokenContext?, byte[]> sign, string method = "PrivateKeyJwtSigner")
        {
            Method = method;
            if (string.IsNullOrWhiteSpace(keyId)) throw new ArgumentException("KeyId: the kid Finqware registered with your public key is required with an external signer.");
            if (algorithm != SecurityAlgorithms.RsaSha256 && algorithm != SecurityAlgorithms.EcdsaSha256)
                throw new ArgumentException($"Algorithm: '{algorithm}' is not RS256 or ES256.");
            var key = new ExternalKey(keyId, algorithm, input => sign(input, _context.Value));
            _credentials = new SigningCredentials(key, algorithm);
        }

        public string Method { get; }

        public void AddTo(System.Collections.Generic.IDictionary<string, string> form, string clientId, string tokenEndpoint, TokenContext context)
        {
            _context.Value = context;
            try
            {
                form["client_assertion_type"] = PrivateKeyJwtCredential.AssertionType;
                form["client_assertion"] = ClientAssertion.Create(_credentials, clientId, tokenEndpoint);
            }
            finally { _context.Value = null; }
        }

        /// <summary>A key that is only a kid and an algorithm: the library asks it for a signature provider, and it answers with the signer.</summary>
        private sealed class ExternalKey : SecurityKey
        {
            public ExternalKey(string keyId, string algorithm, Func<SigningInput, byte[]> sign)
            {
                KeyId = keyId;
                CryptoProviderFactory = new CryptoProviderFactory { CustomCryptoProvider = new Provider(this, algorithm, sign), CacheSignatureProviders = false };
            }

            public override int KeySize => 2048;
        }

        private sealed class Provider : ICryptoProvider
        {
            private readonly ExternalKey _key;
            private readonly string _algorithm;
            private readonly Func<SigningInput, byte[]> _sign;

            public Provider(ExternalKey key, string algorithm, Func<SigningInput, byte[]> sign)
            {
                _key = key;
                _algorithm = algorithm;
                _sign = sign;
            }

            public bool IsSupportedAlgorithm(string algorithm, params object[] args) => algorithm == _algorithm;

            public object Create(string algorithm, params object[] args) => new Signer(_key, _algorithm, _sign);

            public void Release(object cryptoInstance) { }
        }

        private sealed class Signer : SignatureProvider
        {
            private readonly Func<SigningInput, byte[]> _sign;

            public Signer(SecurityKey key, string algorithm, Func<SigningInput, byte[]> sign) : base(key, algorithm) => _sign = sign;

            public override byte[] Sign(byte[] input)
            {
                var signature = _sign(new SigningInput(input, Algorithm, Key.KeyId)) ?? throw new KeyFormatException("The signer returned no signature.");
                return Algorithm == SecurityAlgorithms.EcdsaSha256 ? RawEcdsa(signature) : signature;
            }

            public override bool Verify(byte[] input, byte[] signature) => throw new NotSupportedException("An external signer only signs.");

            public override bool Verify(byte[] input, int inputOffset, int inputLength, byte[] signature, int signatureOffset, int signatureLength) =>
                throw new NotSupportedException("An external signer only signs.");

            protected override void Dispose(bool disposing) { }

            /// <summary>JWS wants R||S (64 bytes for P-256); HSMs often answer the DER SEQUENCE of two INTEGERs.</summary>
            private static byte[] RawEcdsa(byte[] signature)
            {
                if (signature.Length == 64) return signature;
                try
                {
                    var sequence = new AsnReader(signature, AsnEncodingRules.DER).ReadSequence();
                    var raw = new byte[64];
                    AsnIntegers.CopyUnsigned(sequence.ReadIntegerBytes().Span, raw, 0, 32);
                    AsnIntegers.CopyUnsigned(sequence.ReadIntegerBytes().Span, raw, 32, 32);
                    return raw;
                }
                catch (AsnContentException e) { throw new KeyFormatException($"The signer's ES256 signature is neither 64 raw bytes nor DER ({signature.Length} bytes).", e); }
            }
        }
    }
}
