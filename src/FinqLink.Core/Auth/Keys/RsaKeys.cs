using System;
using System.Numerics;
using System.Security.Cryptography;

namespace FinqLink.Auth.Keys
{
    internal static class RsaKeys
    {
        public static RSA Create(byte[] n, byte[] e, byte[] d, byte[] p, byte[] q, byte[] dp, byte[] dq, byte[] qi)
        {
            KeyRules.RequireRsaModulus(n);
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
        /// Rebuilds p and q from n, e and d alone (NIST SP 800-56B rev. 2, appendix C), because the private JWK Finqware's key
        /// script writes holds no CRT members and no platform imports an RSA private key without them.
        /// </summary>
        public static RSA FromModulusAndExponents(byte[] nBytes, byte[] eBytes, byte[] dBytes)
        {
            KeyRules.RequireRsaModulus(nBytes);
            var n = ToBig(nBytes);
            var e = ToBig(eBytes);
            var d = ToBig(dBytes);
            if (e < 3 || d < 2 || d >= n) throw NotAKey();
            // k = ed - 1 = 2^s·t is a multiple of λ(n), so g^k ≡ 1: squaring g^t up to s times reaches 1, and a square root
            // of 1 other than ±1 on the way splits n. A sequence that never reaches 1 proves n, e and d are no key at all.
            var k = d * e - 1;
            var t = k;
            var s = 0;
            while (t.IsEven) { t /= 2; s++; }
            var p = BigInteger.Zero;
            // Each base splits n with probability at least 1/2, so 100 bases fail only for a number that is not an RSA key.
            for (var g = 2; g < 102 && p.IsZero; g++)
            {
                var x = BigInteger.ModPow(g, t, n);
                if (x.IsOne || x == n - 1) continue;
                var consistent = false;
                for (var i = 0; i < s && !consistent; i++)
                {
                    var y = BigInteger.ModPow(x, 2, n);
                    if (y.IsOne) p = BigInteger.GreatestCommonDivisor(x - 1, n);
                    consistent = y.IsOne || y == n - 1;   // n - 1 squares to 1 next
                    x = y;
                }
                if (!consistent) throw NotAKey();
            }
            if (p.IsZero || p.IsOne || p == n) throw NotAKey();
            var q = n / p;
            if (p < q) { var swap = p; p = q; q = swap; }
            return Create(nBytes, eBytes, dBytes, FromBig(p), FromBig(q), FromBig(d % (p - 1)), FromBig(d % (q - 1)), FromBig(ModInverse(q, p)));
        }

        private static KeyFormatException NotAKey() =>
            new KeyFormatException("The JWK's n, e and d do not form an RSA key: the file is damaged. Write it again from the PEM key, or use private.key.pem.");

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
            if (value.Length > length) throw new KeyFormatException("The RSA key has a part longer than its modulus allows: the file is damaged. Export the key again.");
            var padded = new byte[length];
            Array.Copy(value, 0, padded, length - value.Length, value.Length);
            return padded;
        }
    }
}
