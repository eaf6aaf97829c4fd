using System;
using System.Collections.Generic;
using System.Formats.Asn1;
using System.IO;
using System.Numerics;
using System.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using FinqLink.Auth;
using FinqLink.Auth.Keys;
using Xunit;
using static FinqLink.Core.Tests.TestKeys;

namespace FinqLink.Core.Tests;

/// <summary>Private keys in every format Core reads, and each way a key file can be wrong, told apart in one exception type.</summary>
public sealed class KeyReaderTests
{
    private static SigningKey Load(byte[] content) => SigningKey.FromFileContent(content, "kid-1", "test");

    private static void AssertSignsFor(SigningKey key, AsymmetricAlgorithm publicKey)
    {
        var jwt = ClientAssertion.Create(key, "client-1", "https://example.test/token").Split('.');
        var input = Encoding.ASCII.GetBytes(jwt[0] + "." + jwt[1]);
        var signature = Convert.FromBase64String(jwt[2].Replace('-', '+').Replace('_', '/') + new string('=', (4 - jwt[2].Length % 4) % 4));
        Assert.True(publicKey is RSA rsa
            ? rsa.VerifyData(input, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : ((ECDsa)publicKey).VerifyData(input, signature, HashAlgorithmName.SHA256));
    }

    public static IEnumerable<object[]> ReadableKeys() => new[]
    {
        new object[] { "PKCS#8 RSA PEM (openssl genpkey, Finqware's key script)", Bytes(Pkcs8Pem(Rsa)), "RS256" },
        new object[] { "PKCS#1 RSA PEM", Bytes(Pkcs1Pem(Rsa)), "RS256" },
        new object[] { "PKCS#8 RSA DER", Pkcs8Der(Rsa), "RS256" },
        new object[] { "PKCS#1 RSA DER", Pkcs1Der(Rsa), "RS256" },
        new object[] { "PKCS#8 EC PEM", Bytes(Pkcs8Pem(Ec)), "ES256" },
        new object[] { "SEC1 EC PEM", Bytes(Sec1Pem(Ec)), "ES256" },
        new object[] { "SEC1 EC DER", Sec1Der(Ec), "ES256" },
        new object[] { "SEC1 without the public point (derived from d)", Bytes(Pem("EC PRIVATE KEY", Sec1DerWithoutPublicKey(Ec))), "ES256" },
        new object[] { "SEC1 with a compressed public point (derived from d)", Sec1DerWithoutPublicKey(Ec, Compressed(Ec)), "ES256" },
        new object[] { "openssl ecparam -genkey (EC PARAMETERS first)", Bytes(Pem("EC PARAMETERS", new byte[] { 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07 }) + Sec1Pem(Ec)), "ES256" },
        new object[] { "openssl pkcs12 -nodes output (bag attributes, certificate, key)", Bytes("Bag Attributes\n    localKeyID: 01 02\n" + Pem("CERTIFICATE", new byte[] { 0x30, 0x00 }) + Pkcs8Pem(Rsa)), "RS256" },
        new object[] { "PEM saved as UTF-16 with a BOM (Out-File in Windows PowerShell)", (byte[])[.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(Pkcs8Pem(Rsa))], "RS256" },
        new object[] { "the key script's n/e/d-only private JWK", Bytes(ScriptJwk(Rsa).ToJsonString()), "RS256" },
        new object[] { "a private JWK with CRT members", Bytes(FullRsaJwk(Rsa).ToJsonString()), "RS256" },
        new object[] { "an EC private JWK", Bytes(EcJwk(Ec).ToJsonString()), "ES256" },
    };

    [Theory]
    [MemberData(nameof(ReadableKeys))]
    public void Every_supported_format_loads_and_signs_verifiably(string format, byte[] content, string algorithm)
    {
        var key = Load(content);
        Assert.Equal(algorithm, key.Algorithm);
        AssertSignsFor(key, algorithm == "RS256" ? Rsa : Ec);
        Assert.NotNull(format);
    }

    [Fact]
    public void A_JWK_supplies_its_own_kid_and_a_given_kid_wins()
    {
        Assert.Equal("script-kid", SigningKey.FromJwk(ScriptJwk(Rsa).ToJsonString(), null).KeyId);
        Assert.Equal("given", SigningKey.FromJwk(ScriptJwk(Rsa).ToJsonString(), "given").KeyId);
    }

    public static IEnumerable<object[]> UnusableKeys()
    {
        var pkcs8 = Pkcs8Der(Rsa);
        var pem = Pkcs8Pem(Rsa);
        using var weak = RSA.Create(1024);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var publicJwk = ScriptJwk(Rsa).Without("d");
        var encJwk = ScriptJwk(Rsa).With("use", "enc");

        yield return Case("truncated PEM (no END line)", Bytes(pem.Substring(0, pem.Length / 2)), "cut short");
        yield return Case("truncated DER", pkcs8[..(pkcs8.Length / 2)], "DER encoding is damaged");
        yield return Case("truncated DER inside a PEM", Bytes(Pem("PRIVATE KEY", pkcs8[..^10])), "DER encoding is damaged");
        yield return Case("indefinite length (length byte 0x80)", pkcs8.With(1, 0x80), "DER encoding is damaged");
        yield return Case("wrong outer tag", pkcs8.With(0, 0x31), "not a private key");
        yield return Case("wrong inner tag", Bytes(Pem("PRIVATE KEY", pkcs8.With(4, 0x04))), "DER encoding is damaged");
        yield return Case("trailing garbage after the key", Bytes(Pem("PRIVATE KEY", [.. pkcs8, 0x00, 0x00])), "DER encoding is damaged");
        yield return Case("damaged base64", Bytes(pem.Replace("MII", "M!I")), "base64");
        yield return Case("mismatched END label", Bytes(pem.Replace("END PRIVATE KEY", "END RSA PRIVATE KEY")), "cut short");
        yield return Case("encrypted PKCS#8", Bytes(Rsa.ExportEncryptedPkcs8PrivateKeyPem("pw", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000))), "encrypted");
        yield return Case("encrypted PKCS#8 as DER", Rsa.ExportEncryptedPkcs8PrivateKey("pw", new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000)), "encrypted");
        yield return Case("legacy encrypted PEM (Proc-Type)", Bytes(Pkcs1Pem(Rsa).Replace("KEY-----\n", "KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00\n\n")), "encrypted");
        yield return Case("a public key PEM", Bytes(Rsa.ExportSubjectPublicKeyInfoPem()), "no private key, only PUBLIC KEY");
        yield return Case("two private keys", Bytes(pem + Sec1Pem(Ec)), "2 private keys");
        yield return Case("RSA of 1024 bits (PEM)", Bytes(Pkcs8Pem(weak)), "1024 bits");
        yield return Case("RSA of 1024 bits (JWK)", Bytes(ScriptJwk(weak).ToJsonString()), "1024 bits");
        yield return Case("EC on P-384 (PKCS#8)", Bytes(Pkcs8Pem(p384)), "P-384");
        yield return Case("EC on P-384 (SEC1)", Bytes(Sec1Pem(p384)), "P-384");
        yield return Case("EC on P-384 (JWK)", Bytes(new JsonObject { ["kty"] = "EC", ["crv"] = "P-384", ["x"] = "AA", ["y"] = "AA", ["d"] = "AA" }.ToJsonString()), "P-256");
        yield return Case("an Ed25519 key", Bytes(Pem("PRIVATE KEY", Pkcs8WithAlgorithm("1.3.101.112"))), "Ed25519");
        yield return Case("SEC1 public point of the wrong length", Sec1DerWithoutPublicKey(Ec, new byte[] { 0x04, 1, 2, 3 }), "not a P-256 point");
        yield return Case("SEC1 public point of another key", Sec1DerWithoutPublicKey(Ec, Uncompressed(ECDsa.Create(ECCurve.NamedCurves.nistP256))), "damaged");
        yield return Case("RSA CRT parts of another key", Bytes(Pem("RSA PRIVATE KEY", Pkcs1WithOtherPrime())), "damaged");
        yield return Case("JWK without d (a public key)", Bytes(publicJwk.ToJsonString()), "it is a public key");
        yield return Case("JWK without n", Bytes(ScriptJwk(Rsa).Without("n").ToJsonString()), "no 'n'");
        yield return Case("JWK with some CRT members only", Bytes(FullRsaJwk(Rsa).Without("qi").ToJsonString()), "but not all");
        yield return Case("JWK whose d is not base64url", Bytes(ScriptJwk(Rsa).With("d", "!!!!").ToJsonString()), "'d' is not base64url");
        yield return Case("JWK whose d belongs to another key", Bytes(ScriptJwk(Rsa).With("d", ScriptJwk(weak)["d"]!.ToString()).ToJsonString()), "do not form an RSA key");
        yield return Case("JWK for encryption (use enc)", Bytes(encJwk.ToJsonString()), "use is 'enc'");
        yield return Case("JWK with a number where a string belongs", Bytes("{\"kty\":\"RSA\",\"n\":5}"), "not a JSON object with string members");
        yield return Case("JWK with kty oct", Bytes("{\"kty\":\"oct\",\"k\":\"AAAA\"}"), "kty is 'oct'");
        yield return Case("not JSON", Bytes("{kty: RSA"), "not a JSON object");
        yield return Case("neither PEM, DER nor JWK", Bytes("hello"), "neither PEM");
        yield return Case("an empty file", Array.Empty<byte>(), "neither PEM");
    }

    [Theory]
    [MemberData(nameof(UnusableKeys))]
    public void Each_unusable_key_file_says_what_is_wrong_in_a_KeyFormatException(string problem, byte[] content, string expected)
    {
        var error = Assert.Throws<KeyFormatException>(() => Load(content));
        Assert.Contains(expected, error.Message);
        AssertSpeaksNoParameterNorKey(error.Message);
        Assert.NotNull(problem);
    }

    [Fact]
    public void A_key_whose_signatures_do_not_verify_is_refused_where_the_platform_imports_it_unchecked()
    {
        using var broken = new SignsGarbage(Rsa);
        Assert.Contains("do not belong together", Assert.Throws<KeyFormatException>(() => PrivateKeyFile.RequireSignsVerifiably(broken)).Message);
        PrivateKeyFile.RequireSignsVerifiably(Rsa);
    }

    [Fact]
    public void A_bad_JWK_passed_as_text_fails_the_same_way() =>
        Assert.Contains("it is a public key", Assert.Throws<KeyFormatException>(() => SigningKey.FromJwk(ScriptJwk(Rsa).Without("d").ToJsonString(), "k")).Message);

    [Fact]
    public void Certificates_and_PFX_files_load_and_their_faults_are_KeyFormatExceptions()
    {
        using var certificate = SelfSigned(Rsa);
        var key = SigningKey.FromCertificate(certificate, "cert-kid");
        Assert.Equal(("RS256", "CN=FinqLink test"), (key.Algorithm, key.Source));
        AssertSignsFor(key, Rsa);

        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, "right"));
            Assert.Equal("RS256", SigningKey.FromPfx(path, Secure("right"), "k").Algorithm);
            Assert.Contains("password is wrong", Assert.Throws<KeyFormatException>(() => SigningKey.FromPfx(path, Secure("wrong"), "k")).Message);
            File.WriteAllText(path, "not a pfx");
            Assert.Contains("not a PKCS#12", Assert.Throws<KeyFormatException>(() => SigningKey.FromPfx(path, null, "k")).Message);
        }
        finally { File.Delete(path); }

        using var publicOnly = X509CertificateLoader.LoadCertificate(certificate.RawData);
        Assert.Contains("has no private key", Assert.Throws<KeyFormatException>(() => SigningKey.FromCertificate(publicOnly, "k")).Message);
        using var weak = RSA.Create(1024);
        Assert.Contains("1024 bits", Assert.Throws<KeyFormatException>(() => SigningKey.FromCertificate(SelfSigned(weak), "k")).Message);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        Assert.Contains("P-256", Assert.Throws<KeyFormatException>(() => SigningKey.FromCertificate(SelfSigned(p384), "k")).Message);
    }

    private static void AssertSpeaksNoParameterNorKey(string message)
    {
        foreach (var parameter in new[] { "PrivateKeyPath", "PfxPath", "PfxPassword", "CertificatePassword", "-Certificate", "-KeyId", "Path:" })
            Assert.DoesNotContain(parameter, message);
        foreach (var keyMaterial in new[] { (string)ScriptJwk(Rsa)["d"]!, (string)ScriptJwk(Rsa)["n"]!, Pkcs8Pem(Rsa).Split('\n')[2] })
            Assert.DoesNotContain(keyMaterial[..12], message);
    }

    private static object[] Case(string problem, byte[] content, string expected) => new object[] { problem, content, expected };

    private static byte[] Uncompressed(ECDsa key)
    {
        var q = key.ExportParameters(false).Q;
        return [0x04, .. q.X!, .. q.Y!];
    }

    private static byte[] Compressed(ECDsa key)
    {
        var q = key.ExportParameters(false).Q;
        return [(byte)(0x02 | (q.Y![^1] & 1)), .. q.X!];
    }

    private static byte[] Pkcs8WithAlgorithm(string oid)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(0);
            using (writer.PushSequence()) writer.WriteObjectIdentifier(oid);
            writer.WriteOctetString(new byte[34]);
        }
        return writer.Encode();
    }

    /// <summary>A PKCS#1 key whose p is another key's: well-formed DER the platform may import, which must not sign.</summary>
    private static byte[] Pkcs1WithOtherPrime()
    {
        using var other = RSA.Create(2048);
        var p = Rsa.ExportParameters(true);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(0);
            foreach (var part in new[] { p.Modulus, p.Exponent, p.D, other.ExportParameters(true).P, p.Q, p.DP, p.DQ, p.InverseQ })
                writer.WriteIntegerUnsigned(part);
        }
        return writer.Encode();
    }

    private static X509Certificate2 SelfSigned(AsymmetricAlgorithm key)
    {
        var request = key is RSA rsa
            ? new CertificateRequest("CN=FinqLink test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest("CN=FinqLink test", (ECDsa)key, HashAlgorithmName.SHA256);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    /// <summary>What a platform that imports RSA numbers unchecked hands back for a damaged key: signatures that fail.</summary>
    private sealed class SignsGarbage(RSA inner) : RSA
    {
        public override RSAParameters ExportParameters(bool includePrivateParameters) => inner.ExportParameters(includePrivateParameters);
        public override void ImportParameters(RSAParameters parameters) => throw new NotSupportedException();
        public override byte[] SignHash(byte[] hash, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding)
        {
            var signature = inner.SignHash(hash, hashAlgorithm, padding);
            signature[0] ^= 1;
            return signature;
        }
        public override bool VerifyHash(byte[] hash, byte[] signature, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding) => inner.VerifyHash(hash, signature, hashAlgorithm, padding);
    }

    private static SecureString Secure(string text)
    {
        var secure = new SecureString();
        foreach (var c in text) secure.AppendChar(c);
        return secure;
    }
}

/// <summary>
/// New-FinqLinkKey's files: a key pair reads back (PEM and JWK) and signs for its public key, also when the key's numbers
/// have leading zero bytes, which RSAParameters keeps and DER and JWK must not.
/// </summary>
public sealed class KeyPairFilesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("finqlink-keys-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(false, "D,DQ,InverseQ")]
    [InlineData(true, "DP")]
    public void A_key_whose_numbers_have_a_leading_zero_byte_reads_back_and_signs(bool primesSwapped, string leadingZeros)
    {
        var parameters = LeadingZeroRsa.ExportParameters(true);
        if (primesSwapped) parameters = PrimesSwapped(parameters);
        foreach (var part in leadingZeros.Split(',')) Assert.True(Part(parameters, part)[0] == 0, $"{part} has no leading zero byte");
        AssertReadsBackAndSigns(KeyPairFiles.Create(Path.Combine(_folder, "zeros"), overwrite: false, parameters));
    }

    [Fact]
    public void A_key_pair_made_now_reads_back_and_signs() =>
        AssertReadsBackAndSigns(KeyPairFiles.Create(Path.Combine(_folder, "new"), overwrite: false));

    private static void AssertReadsBackAndSigns(KeyPair pair)
    {
        var fromPem = SigningKey.FromFileContent(File.ReadAllBytes(pair.PrivateKeyPath), pair.KeyId, "pem");
        var fromJwk = SigningKey.FromFileContent(File.ReadAllBytes(pair.PrivateJwkPath), pair.KeyId, "jwk");
        using var publicKey = RSA.Create();
        publicKey.ImportFromPem(File.ReadAllText(pair.PublicKeyPath));
        foreach (var (key, format) in new[] { (fromPem, "pem"), (fromJwk, "jwk") })
        {
            var jwt = ClientAssertion.Create(key, "client-1", "https://example.test/token").Split('.');
            var signature = Convert.FromBase64String(jwt[2].Replace('-', '+').Replace('_', '/') + new string('=', (4 - jwt[2].Length % 4) % 4));
            Assert.True(publicKey.VerifyData(Encoding.ASCII.GetBytes(jwt[0] + "." + jwt[1]), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), format);
        }
    }

    private static byte[] Part(RSAParameters p, string name) => name switch
    {
        "D" => p.D!,
        "DP" => p.DP!,
        "DQ" => p.DQ!,
        "InverseQ" => p.InverseQ!,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>The same key with P and Q swapped: DP and DQ trade places, and InverseQ is the old P's inverse mod the old Q.</summary>
    private static RSAParameters PrimesSwapped(RSAParameters p)
    {
        static BigInteger Number(byte[] bytes) => new(bytes, isUnsigned: true, isBigEndian: true);
        var (oldP, oldQ) = (Number(p.P!), Number(p.Q!));
        var inverse = BigInteger.ModPow(oldP, oldQ - 2, oldQ).ToByteArray(isUnsigned: true, isBigEndian: true);   // Fermat: Q is prime
        var padded = new byte[p.Q!.Length];
        inverse.CopyTo(padded, padded.Length - inverse.Length);
        return new RSAParameters { Modulus = p.Modulus, Exponent = p.Exponent, D = p.D, P = p.Q, Q = p.P, DP = p.DQ, DQ = p.DP, InverseQ = padded };
    }
}
