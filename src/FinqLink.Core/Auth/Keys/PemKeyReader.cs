using System;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace FinqLink.Auth.Keys
{
    /// <summary>Reads PEM private keys: PKCS#8 ("PRIVATE KEY", RSA or P-256), PKCS#1 ("RSA PRIVATE KEY") and SEC1 ("EC PRIVATE KEY").</summary>
    internal static class PemKeyReader
    {
        private const string RsaOid = "1.2.840.113549.1.1.1", EcOid = "1.2.840.10045.2.1", P256Oid = "1.2.840.10045.3.1.7";
        private static readonly Regex Block = new Regex("-----BEGIN ([A-Z ]+)-----(.*?)-----END \\1-----", RegexOptions.Singleline);

        public static AsymmetricAlgorithm Read(string pem)
        {
            var match = Block.Match(pem);
            if (!match.Success) throw new FormatException("PrivateKeyPath: no PEM block found.");
            var der = Convert.FromBase64String(Regex.Replace(match.Groups[2].Value, "\\s", ""));
            switch (match.Groups[1].Value)
            {
                case "PRIVATE KEY": return ReadPkcs8(der);
                case "RSA PRIVATE KEY": return RsaFromPkcs1(der);
                case "EC PRIVATE KEY": return EcFromSec1(der, null);
                case "ENCRYPTED PRIVATE KEY": throw new FormatException("PrivateKeyPath: encrypted PEM keys are not supported; use a PFX with -CertificatePassword.");
                default: throw new FormatException($"PrivateKeyPath: a '{match.Groups[1].Value}' PEM block is not a private key.");
            }
        }

        private static AsymmetricAlgorithm ReadPkcs8(byte[] der)
        {
            var info = new DerReader(der).ReadSequence();
            info.ReadUnsignedInteger();
            var algorithm = info.ReadSequence();
            var oid = algorithm.ReadOid();
            var curve = algorithm.HasMore && algorithm.PeekTag() == 0x06 ? algorithm.ReadOid() : null;
            var inner = info.ReadOctetString();
            if (oid == RsaOid) return RsaFromPkcs1(inner);
            if (oid == EcOid) return EcFromSec1(inner, curve);
            throw new FormatException("PrivateKeyPath: only RSA and EC P-256 keys are supported.");
        }

        private static RSA RsaFromPkcs1(byte[] der)
        {
            var seq = new DerReader(der).ReadSequence();
            seq.ReadUnsignedInteger();
            var n = seq.ReadUnsignedInteger();
            var e = seq.ReadUnsignedInteger();
            var d = seq.ReadUnsignedInteger();
            var p = seq.ReadUnsignedInteger();
            var q = seq.ReadUnsignedInteger();
            var dp = seq.ReadUnsignedInteger();
            var dq = seq.ReadUnsignedInteger();
            var qi = seq.ReadUnsignedInteger();
            return RsaKeys.Create(n, e, d, p, q, dp, dq, qi);
        }

        private static ECDsa EcFromSec1(byte[] der, string? curveOid)
        {
            var seq = new DerReader(der).ReadSequence();
            seq.ReadUnsignedInteger();
            var d = seq.ReadOctetString();
            byte[]? publicKey = null;
            while (seq.HasMore)
            {
                var tag = seq.PeekTag();
                var tagged = seq.ReadConstructed(tag);
                if (tag == 0xA0) curveOid = tagged.ReadOid();
                else if (tag == 0xA1) publicKey = tagged.ReadBitString();
            }
            if (curveOid != null && curveOid != P256Oid) throw new FormatException("PrivateKeyPath: only EC keys on P-256 (ES256) are supported.");
            if (publicKey == null) throw new FormatException("PrivateKeyPath: the EC key has no public point; export it with its public key.");
            // BIT STRING: one byte of unused bits, then 0x04 || X || Y.
            var x = new byte[32];
            var y = new byte[32];
            Array.Copy(publicKey, 2, x, 0, 32);
            Array.Copy(publicKey, 34, y, 0, 32);
            return EcKeys.Create(x, y, d);
        }
    }
}
