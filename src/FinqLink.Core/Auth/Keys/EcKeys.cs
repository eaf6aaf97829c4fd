using System;
using System.Security.Cryptography;

namespace FinqLink.Auth.Keys
{
    internal static class EcKeys
    {
        private const int P256Bytes = 32;

        /// <summary>A P-256 signing key from its private scalar and, where the file has it, its uncompressed public point.</summary>
        public static ECDsa Create(byte[] d, byte[]? publicPoint)
        {
            if (publicPoint != null && publicPoint.Length == 1 + 2 * P256Bytes && publicPoint[0] == 0x04)
            {
                var x = new byte[P256Bytes];
                var y = new byte[P256Bytes];
                Array.Copy(publicPoint, 1, x, 0, P256Bytes);
                Array.Copy(publicPoint, 1 + P256Bytes, y, 0, P256Bytes);
                return Create(x, y, d);
            }
            if (publicPoint != null && (publicPoint.Length != 1 + P256Bytes || (publicPoint[0] != 0x02 && publicPoint[0] != 0x03)))
                throw new KeyFormatException("The EC key's public point is not a P-256 point: the file is damaged. Export the key again.");
            // No point, or a compressed one: the platform derives Q = d·G (not .NET Framework, which needs Q).
            try { return Create(null, null, d); }
            catch (CryptographicException e)
            {
                throw new KeyFormatException("The EC key holds no uncompressed public point and the platform could not derive one: the key is damaged, or the platform (.NET Framework) needs the point written out. Export the key with its public point (openssl ec -in <key> -out <new key>).", e);
            }
        }

        public static ECDsa Create(byte[]? x, byte[]? y, byte[] d)
        {
            if (d.Length == 0 || d.Length > P256Bytes) throw new KeyFormatException("The EC key's private scalar is not a P-256 scalar (1 to 32 bytes): the file is damaged. Export the key again.");
            if (x != null && x.Length != P256Bytes || y != null && y.Length != P256Bytes) throw new KeyFormatException("The EC key's public coordinates are not 32 bytes each, as P-256's are. Export the key again.");
            var padded = new byte[P256Bytes];
            Array.Copy(d, 0, padded, P256Bytes - d.Length, d.Length);
            return ECDsa.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = x, Y = y },
                D = padded,
            });
        }
    }
}
