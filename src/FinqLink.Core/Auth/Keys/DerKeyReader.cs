using System;
using System.Formats.Asn1;
using System.Security.Cryptography;

namespace FinqLink.Auth.Keys
{
    /// <summary>Reads a binary DER private key file, telling PKCS#8, PKCS#1 and SEC1 apart by their second element.</summary>
    internal static class DerKeyReader
    {
        public static AsymmetricAlgorithm Read(byte[] der)
        {
            var structure = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            if (structure.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence)) throw Encrypted();
            structure.ReadIntegerBytes();
            var second = structure.PeekTag();
            if (second.HasSameClassAndValue(Asn1Tag.Sequence)) return Pkcs8PrivateKey.Read(der);
            if (second.HasSameClassAndValue(Asn1Tag.Integer)) return Pkcs1PrivateKey.Read(der);
            if (second.HasSameClassAndValue(Asn1Tag.PrimitiveOctetString)) return Sec1PrivateKey.Read(der, null);
            throw new KeyFormatException("The DER file is not a PKCS#8, PKCS#1 or SEC1 private key. Give the private key Finqware's key script wrote (private.key.pem).");
        }

        public static KeyFormatException Encrypted() =>
            new KeyFormatException("The private key is encrypted. Decrypt it (openssl pkey -in <key> -out <plain key>) and protect the file instead, or use a PFX file with its password.");
    }
}
