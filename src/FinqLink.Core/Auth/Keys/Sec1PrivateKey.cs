using System;
using System.Formats.Asn1;
using System.Security.Cryptography;

namespace FinqLink.Auth.Keys
{
    /// <summary>ECPrivateKey (SEC1, RFC 5915): "EC PRIVATE KEY" in PEM, or inside PKCS#8 where the curve may be named outside.</summary>
    internal static class Sec1PrivateKey
    {
        private static readonly Asn1Tag CurveTag = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
        private static readonly Asn1Tag PublicKeyTag = new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true);

        public static ECDsa Read(ReadOnlyMemory<byte> der, string? curveNamedOutside)
        {
            var outer = new AsnReader(der, AsnEncodingRules.DER);
            var key = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            if (key.ReadVersion() != 1) throw new KeyFormatException("The EC key is not an ECPrivateKey (version 1): the file is damaged. Export the key again.");
            var d = key.ReadOctetString();
            var curve = curveNamedOutside;
            if (key.HasData && key.PeekTag().HasSameClassAndValue(CurveTag))
            {
                var parameters = key.ReadSequence(CurveTag);
                var named = EcCurves.ReadNamedCurve(parameters);
                parameters.ThrowIfNotEmpty();
                if (curve != null && curve != named) throw new KeyFormatException("The EC key names two different curves: the file is damaged. Export the key again.");
                curve = named;
            }
            byte[]? point = null;
            if (key.HasData && key.PeekTag().HasSameClassAndValue(PublicKeyTag))
            {
                var publicKey = key.ReadSequence(PublicKeyTag);
                point = publicKey.ReadBitString(out var unusedBits);
                publicKey.ThrowIfNotEmpty();
                if (unusedBits != 0) throw new KeyFormatException("The EC key's public point is not whole bytes: the file is damaged. Export the key again.");
            }
            key.ThrowIfNotEmpty();
            if (curve == null) throw new KeyFormatException("The EC key does not name its curve. Export it with its parameters (openssl ec -in <key> -out <new key>).");
            EcCurves.RequireP256(curve);
            return EcKeys.Create(d, point);
        }
    }
}
