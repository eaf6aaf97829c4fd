using System;
using System.Numerics;
using System.Security.Cryptography;

namespace FinqLink.Auth.Keys
{
    internal static class RsaKeys
    {
        public static RSA Create(byte[] n, byte[] e, byte[] d, byte[] p, byte[] q, byte[] dp, byte[] dq, byte[] qi)
        {
            var half = (n.Length + 1) / 2;
            var rsa = RSA.Create();
            rsa.ImportParameters(new RSAParameters
            {
                Modulus = n, Exponent = e, D = Pad(d, n.Length),
                P = Pad(p, half), Q = Pad(q, half), DP = Pad(dp, half), DQ = Pad(dq, half), InverseQ = Pad(qi, half),
            });
            return rsa;
        }

        /// <summary>
        /// Rebuilds the CRT parameters from n, e and d alone (the private JWK FinqLink's key script writes has no p or q);
        /// the factoring method of NIST SP 800-56B, appendix C.
        /// </summary>
        public static RSA FromModulusAndExponents(byte[] nBytes, byte[] eBytes, byte[] dBytes)
        {
            var n = ToBig(nBytes);
            var e = ToBig(eBytes);
            var d = ToBig(dBytes);
            var k = d * e - 1;
            var t = k;
            var s = 0;
            while (t.IsEven) { t /= 2; s++; }
            BigInteger p = BigInteger.Zero;
            for (var g = 2; g < 1000 && p.IsZero; g++)
            {
                var x = BigInteger.ModPow(g, t, n);
                if (x.IsOne || x == n - 1) continue;
                for (var i = 0; i < s; i++)
                {
                    var y = BigInteger.ModPow(x, 2, n);
                    if (y.IsOne) { p = BigInteger.GreatestCommonDivisor(x - 1, n); break; }
                    if (y == n - 1) break;
                    x = y;
                }
            }
            if (p.IsZero || p.IsOne) throw new FormatException("PrivateKeyPath: the JWK's n, e and d do not form an RSA key.");
            var q = n / p;
            if (p < q) { var swap = p; p = q; q = swap; }
            return Create(nBytes, eBytes, dBytes, FromBig(p), FromBig(q), FromBig(d % (p - 1)), FromBig(d % (q - 1)), FromBig(ModInverse(q, p)));
        }

        private static BigInteger ModInverse(BigInteger a, BigInteger m)
        {
            BigInteger oldR = a, r = m, oldS = 1, s = 0;
            while (!r.IsZero)
            {
                var quotient = oldR / r;
                (oldR, r) = (r, oldR - quotient * r);
                (oldS, s) = (s, oldS - quotient * s);
            }
            return ((oldS % m) + m) % m;
        }

        private static BigInteger ToBig(byte[] bigEndian)
        {
            var little = new byte[bigEndian.Length + 1];
            for (var i = 0; i < bigEndian.Length; i++) little[i] = bigEndian[bigEndian.Length - 1 - i];
            return new BigInteger(little);
        }

        private static byte[] FromBig(BigInteger value)
        {
            var little = value.ToByteArray();
            var length = little.Length;
            while (length > 1 && little[length - 1] == 0) length--;
            var big = new byte[length];
            for (var i = 0; i < length; i++) big[i] = little[length - 1 - i];
            return big;
        }

        private static byte[] Pad(byte[] value, int length)
        {
            if (value.Length == length) return value;
            if (value.Length > length) throw new FormatException("The RSA key has a malformed parameter.");
            var padded = new byte[length];
            Array.Copy(value, 0, padded, length - value.Length, value.Length);
            return padded;
        }
    }

    internal static class EcKeys
    {
        public static ECDsa Create(byte[] x, byte[] y, byte[] d)
        {
            var padded = new byte[32];
            Array.Copy(d, 0, padded, 32 - d.Length, d.Length);
            return ECDsa.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = x, Y = y },
                D = padded,
            });
        }
    }
}
