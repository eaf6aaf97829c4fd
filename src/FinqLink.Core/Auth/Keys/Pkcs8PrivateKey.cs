using System;
using System.Collections.Generic;
using System.Formats.Asn1;
using System.Security.Cryptography;

namespace FinqLink.Auth.Keys
{
    /// <summary>PrivateKeyInfo (PKCS#8, RFC 5208/5958): "PRIVATE KEY" in PEM, what openssl genpkey and Finqware's key script write.</summary>
    internal static class Pkcs8PrivateKey
    {
        private const string Rsa = "1.2.840.113549.1.1.1", Ec = "1.2.840.10045.2.1";

        private static readonly Dictionary<string, string> Unsupported = new Dictionary<string, string>
        {
            ["1.2.840.113549.1.1.10"] = "RSASSA-PSS", ["1.3.101.112"] = "Ed25519", ["1.3.101.113"] = "Ed448",
            ["1.3.101.110"] = "X25519", ["1.2.840.10040.4.1"] = "DSA",
        };

        public static AsymmetricAlgorithm Read(ReadOnlyMemory<byte> der)
        {
            var outer = new AsnReader(der, AsnEncodingRules.DER);
            var info = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            var version = info.ReadVersion();
            if (version != 0 && version != 1)
                throw new KeyFormatException("The key is not a PKCS#8 PrivateKeyInfo (version 0 or 1): the file is damaged. Export the key again.");
            var algorithm = info.ReadSequence();
            var oid = algorithm.ReadObjectIdentifier();
            string? curve = null;
            if (oid == Rsa)
            {
                if (algorithm.HasData) algorithm.ReadNull();
            }
            else if (oid == Ec) curve = EcCurves.ReadNamedCurve(algorithm);
            else
                throw new KeyFormatException($"The key is a {(Unsupported.TryGetValue(oid, out var name) ? name : oid)} key; FinqLink signs with RSA (RS256) or EC P-256 (ES256) keys.");
            algorithm.ThrowIfNotEmpty();
            var privateKey = info.ReadOctetString();
            // [0] attributes and [1] the public key (PKCS#8 v2) may follow; the private key alone is all that signing needs.
            while (info.HasData)
            {
                var tag = info.PeekTag();
                if (tag.TagClass != TagClass.ContextSpecific || tag.TagValue > 1) throw new KeyFormatException("The PKCS#8 key has unexpected content after the key: the file is damaged. Export the key again.");
                info.ReadEncodedValue();
            }
            return oid == Rsa ? Pkcs1PrivateKey.Read(privateKey) : Sec1PrivateKey.Read(privateKey, curve);
        }
    }
}
