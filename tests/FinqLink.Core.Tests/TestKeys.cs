using System;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace FinqLink.Core.Tests;

/// <summary>Fixed test keys (never registered anywhere) in every file format Core reads, written by the platform, not by Core.</summary>
internal static class TestKeys
{
    public static readonly RSA Rsa = FromPem(FixedRsaPem);
    public static readonly ECDsa Ec = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = Convert.FromHexString("3f5a1c9e7b2d4086a1e9c3b75d20f8e64a19b3c7d5e2f1a08b6c4d3e2f1a0b9c") });

    /// <summary>
    /// A 2048-bit key (e = 65537) whose D, DQ and InverseQ each have a leading zero byte, and whose primes swapped give
    /// DP one: found once by pairing openssl's 1024-bit primes, so tests cover the case every run instead of one key in sixteen.
    /// </summary>
    public static readonly RSA LeadingZeroRsa = FromPem(LeadingZeroRsaPem);

    public static string Pkcs8Pem(AsymmetricAlgorithm key) => key.ExportPkcs8PrivateKeyPem();
    public static string Pkcs1Pem(RSA key) => key.ExportRSAPrivateKeyPem();
    public static string Sec1Pem(ECDsa key) => key.ExportECPrivateKeyPem();
    public static byte[] Pkcs8Der(AsymmetricAlgorithm key) => key.ExportPkcs8PrivateKey();
    public static byte[] Pkcs1Der(RSA key) => key.ExportRSAPrivateKey();
    public static byte[] Sec1Der(ECDsa key) => key.ExportECPrivateKey();

    /// <summary>SEC1 as some tools write it: the curve named, the public point left out.</summary>
    public static byte[] Sec1DerWithoutPublicKey(ECDsa key, byte[]? publicPoint = null)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(1);
            writer.WriteOctetString(key.ExportParameters(true).D);
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true))) writer.WriteObjectIdentifier("1.2.840.10045.3.1.7");
            if (publicPoint != null)
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true))) writer.WriteBitString(publicPoint);
        }
        return writer.Encode();
    }

    public static string Pem(string label, byte[] der) => PemEncoding.WriteString(label, der) + "\n";

    /// <summary>The private JWK Finqware's key script writes: n, e and d only.</summary>
    public static JsonObject ScriptJwk(RSA key, string kid = "script-kid")
    {
        var p = key.ExportParameters(true);
        return new JsonObject { ["kty"] = "RSA", ["kid"] = kid, ["n"] = B(p.Modulus!), ["e"] = B(p.Exponent!), ["d"] = B(p.D!), ["alg"] = "RS256", ["use"] = "sig" };
    }

    public static JsonObject FullRsaJwk(RSA key)
    {
        var p = key.ExportParameters(true);
        var jwk = ScriptJwk(key, "full-kid");
        jwk["p"] = B(p.P!); jwk["q"] = B(p.Q!); jwk["dp"] = B(p.DP!); jwk["dq"] = B(p.DQ!); jwk["qi"] = B(p.InverseQ!);
        return jwk;
    }

    public static JsonObject EcJwk(ECDsa key)
    {
        var p = key.ExportParameters(true);
        return new JsonObject { ["kty"] = "EC", ["kid"] = "ec-kid", ["crv"] = "P-256", ["x"] = B(p.Q.X!), ["y"] = B(p.Q.Y!), ["d"] = B(p.D!), ["alg"] = "ES256", ["use"] = "sig" };
    }

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string B(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static RSA FromPem(string pem)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return rsa;
    }

    private const string FixedRsaPem = """
-----BEGIN PRIVATE KEY-----
MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDJRe4MULGMToFg
8cmfkD/egFRxbNcPgOrtgiHzb8Utdo8qPYBClReaChgQM72xrrzdCb6nS2EcQbPP
URU+v0nl6TYBadpy1LAQ+hR7cmLYS9nZvL/g2eT3eHDp6QLVcF3BrITnQ7rxtSHw
zSrb+uLyoRmOWmt6cqS5zqrYmbg/mjM4xfdbRHFlt1/Vqq45OU3Xrf8HTk1Qj1wT
XKjNSvXhaZxKMR9c33owWc9Rl5+YKiYZ8Mckv6lBjZBWczdlOJS/3yPTWex2nLYd
6QZ2SNk0YG+JHrKkDkU/sJIPUZJyrzwLi2POhCHQ4azMw0UNmvGPM4SPC+srPGzF
6Hh3W2wJAgMBAAECggEAOE4BPV23hW4SwGlzQ1lpnJdeyAowEWy5i66rS7v5N3Ii
s6jXwAiQPS3UtHec+d9NgzIuLQOny21P3U+r900w4Ym/a17O1u/LvzwOTchegW6a
p1Anh0G9TUNapvzhp47TE5Js7XsjiWln8MKcWkSRh1ls2kdOKMd4cGgxn/1Erzm2
xi2GopMdsGo9BP5irocasGLP95KhPGq2yCc6whx3PWXPm9sqrEbpW9PM/k1ikmXG
2SWLj8RAc4TSWdzI5d1GoSjGwRzPK4eHPS9m1ItvCRYoGMX5pt5DCmvI+JnSo1Ii
aC9Avc/xqeULmCyK5ctCKgbTNBiDeaGNEqxomUbCVwKBgQD5oYsd25Da9JS6HSAv
wP+UemwYNmFNpQAIfvZURoWG3aT6aKi4HLg3YO/Tp09mKY7T2loBZ9QoXP4WXYPO
AQrydKkXRg6ZHrCE26kIHtnufjaNQwm53HYuqlxBpsfEgInHyiV+evlzXqlQAjiy
UdwnI2W8GPeflo6k78/HmhYcywKBgQDOaInoGKW2E2nMoH9Fmr1B3ycoFUouDJ70
sxIG17qAlva2Xr8q9PrJCcBV/mEKDMfOO0E42UoW2aMeMdWoymG5lC+M23Csi2rS
4F7sJ6Hq3WmP2R+nqS0A2oHLdNYHJwIjIUecKBlBlPjwu0NoOxHBZ1e35tFPsOYS
V6vMtHpz+wKBgCw59aa9jsVsDamHnXs4a0+H/PyxLb4O3JmkvMmjkOabAC6pOjMc
S3rsPrE19Dg6ZqacCdQz6/+WsiGOQdrOjnz0NDz+WXnBWS7AqArbRGsfi1Stqtx1
9a5A2oV7Ietrhn2SD+B/sxBAliiprBfTrvh0KgMQPVbV2sHYBuzrHL3PAoGBAKpu
g0CT6XCYQwnllHGCvbcAbbKZMbEoVrAylDX2N1cqT/hx72Om+NS7KodXDgVgXDMb
llU8hgKsHhY2i/dddKfphgHGyBiQ3dnVzkssxnPJ8voGDC9Cb5h+1CGNDZTGTut2
9UwpiAEw4wTTe2s7KwQJMtL00ev9Y1vN7FuQwnO1AoGBAKEimfgAEK497btAFWPO
qHL9IimLALnJV2lqo0voG94jxa1U3AvYwRmlnDoVNkV5dEuEBtFPUtwOzhW01IYd
FjND1vBO+p4WTBSXOaJ8vT/XaQguaygUXFSAxnl61Gxm6bhGOwE1m6/IMJ6+CbYv
SY4hxoutjLQ2j/arwodJLWwl
-----END PRIVATE KEY-----
""";

    private const string LeadingZeroRsaPem = """
-----BEGIN RSA PRIVATE KEY-----
MIIEnwIBAAKCAQEA3otMQtzPZHnvvzgTC8Vp3VpaL0aKBxujM7Gxs/1dqfCI5aaB
dp1q+kG1NqScEsRlw4EUdc5Z1tR9aSG6+UixZzKL5lO/mR6AJcZ+uJ7OmNM96UQY
7QhYOPLjxqT5WU5HtwQdJRGNZxtsbxcjP+GEWiU59E/LHVhAO6Mt2mOXKHXKilVO
7UTO33OmrCy9+ORWXYnZK0g6LXPrFZnzB5xWc0auWCdp2KmcEjPeyBH++xrTyZL5
mea28YM7jl+djmYLa6K8cAdPOfUryLJ4qA43X7UH3zuEghSGYJBOz2irK4zuawzo
BwcRWV07pJVJaAKH0ZCU1H4Q4jNQ7v5WDbLjqQIDAQABAoH/f2xcHh7IN2KJjxDW
JN2MqJnwl2EhOqsZ3vA6LPqOH9/hCERuZNmT9qkgjOTuRnIJoI0+cMwC9XKiKiqk
sMcJGuVizl7lmgVxq1Dku05qhTr/nZqcCa1BqgDutfGsuG7mgpItT/+7deiSv+04
rNbqC+WxUxUJrhMFAkIgQ0MvYXCEI2DJlvfNwbPzMxNvaIJ3pKSIfbkCxC3xRYS9
bdCXy7ipZJayFsMHZkhLgzrBD73RJSS/l3KFWiflC80e36scTmcEuHdl7Iw09bXe
GTACLc127qdRm0mLe1YHCex5DAJKD9a0CsokZBXgSMnVAjiLzGt1c22lZ50Gd+dn
JhtBAoGBAP/eUU/Is+Zx9eaP0XcMv4VtBSqqKTTf6hwKjRTcZ3EF33JDrG/iTl2t
pI02grjvnE0Ig2l12zeg/frLcVRDY5OMtnDYaEZLkSKgYT+RGN0HV27GOzJUY0OV
sKwhLGeYSnhndis2dy9FJmbTP6CxkiKcrh0mZH7IFpaBnMn9cbVBAoGBAN6ol+5N
zEFv/q9lPF/KMYsgkBFHQlhr8xYizNX716i+ZblNr6SUDKfblTIq3UtdVGMESve2
IZF9cvyoPVrl8zk905wfh9HaQjTmqlj7wQJrc3j3Yllpj5+p6H518Kbo0igicOfe
RVr2elgiefOFDml7X119mtH/T2TGI1N+8IxpAoGBAI0I4hD0NBVl44D+7RqN8FN/
UEXAHY6Djet+9Vz2UB5AenXlT3ssZr3EJNuhnFSL3r+nXagXyonTN6uxz/n+WzjN
axKwdmmo5YsMlA4R0H6kuVDZ+282jLCIJiX68xr3GrVbcgtHrlJj71LmRkAxILfr
XR28N9CaQbkcIGxGQxMBAoGAAJ5LPbgtlwjuliIb1tBC7vX6MHIYNxKlrCwQkY+P
e8J7mdYjZLuchWLQuUDxOGJb96Jtat6wnSzSAu2crgHxePk4+zgDMov+nxL86h5Y
3N7bhTx6o3Dtmy3nnWJKdswyuTXPRnWRj70bfd8qo4h9D8Ht896DbY3d9JOwSW0S
0fECfwiTbN4y7LMa0tJGalXVJn9N3Y7nK6IRrOwmLObIGqdwblP/99GrJrUJs/GA
2HqBtIvjyH70bNe9h+sn/xXUkDSPCyUgrPVAUQ4otQgO9MRe6PzrX1SciHe8RUN9
e8SQePUX6SOhHbgzsZirIzFipGSginGJZ7HcyztvQvJ9hKE=
-----END RSA PRIVATE KEY-----
""";
}
