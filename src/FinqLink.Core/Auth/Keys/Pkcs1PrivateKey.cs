using System;
using System.Formats.Asn1;
using System.Security.Cryptography;

namespace FinqLink.Auth.Keys
{
    /// <summary>RSAPrivateKey (PKCS#1, RFC 8017 appendix A.1.2): "RSA PRIVATE KEY" in PEM, or inside PKCS#8.</summary>
    internal static class Pkcs1PrivateKey
    {
        public static RSA Read(ReadOnlyMemory<byte> der)
        {
            var outer = new AsnReader(der, AsnEncodingRules.DER);
            var key = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            if (key.ReadVersion() != 0)
                throw new KeyFormatException("The RSA key is not a two-prime RSAPrivateKey (version 0): multi-prime keys are not supported. Generate the key as Finqware's key script does (openssl genpkey -algorithm RSA).");
            var n = key.ReadUnsignedInteger();
            var e = key.ReadUnsignedInteger();
            var d = key.ReadUnsignedInteger();
            var p = key.ReadUnsignedInteger();
            var q = key.ReadUnsignedInteger();
            var dp = key.ReadUnsignedInteger();
            var dq = key.ReadUnsignedInteger();
            var qi = key.ReadUnsignedInteger();
            key.ThrowIfNotEmpty();
            return RsaKeys.Create(n, e, d, p, q, dp, dq, qi);
        }
    }
}
