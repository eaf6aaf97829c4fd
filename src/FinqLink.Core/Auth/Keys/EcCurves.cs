using System.Collections.Generic;
using System.Formats.Asn1;

namespace FinqLink.Auth.Keys
{
    /// <summary>The curve an EC key names (ECParameters of RFC 5480, namedCurve only); ES256 takes P-256 alone.</summary>
    internal static class EcCurves
    {
        public const string P256 = "1.2.840.10045.3.1.7";

        private static readonly Dictionary<string, string> Names = new Dictionary<string, string>
        {
            [P256] = "P-256", ["1.3.132.0.34"] = "P-384", ["1.3.132.0.35"] = "P-521", ["1.3.132.0.10"] = "secp256k1",
            ["1.3.36.3.3.2.8.1.1.7"] = "brainpoolP256r1",
        };

        public static string ReadNamedCurve(AsnReader parameters)
        {
            if (!parameters.PeekTag().HasSameClassAndValue(Asn1Tag.ObjectIdentifier))
                throw new KeyFormatException("The EC key spells out its curve parameters instead of naming the curve. Export it with a named curve (openssl ec -param_enc named_curve).");
            return parameters.ReadObjectIdentifier();
        }

        public static void RequireP256(string oid)
        {
            if (oid != P256)
                throw new KeyFormatException($"The EC key is on curve {(Names.TryGetValue(oid, out var name) ? name : oid)}; ES256 needs P-256 (prime256v1). Generate a P-256 key (openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256).");
        }
    }
}
