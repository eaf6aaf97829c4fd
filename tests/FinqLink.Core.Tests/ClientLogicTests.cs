using System;
using System.Buffers.Text;
using System.IO;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FinqLink.Auth;
using FinqLink.Http;
using FinqLink.Validation;
using Xunit;

namespace FinqLink.Core.Tests;

/// <summary>Signing keys and the client assertion.</summary>
public class ClientLogicTests
{
    [Fact]
    public void The_key_scripts_ned_only_private_jwk_signs_verifiably()
    {
        using var rsa = RSA.Create(2048);
        var p = rsa.ExportParameters(true);
        string B(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var jwk = new JsonObject { ["kty"] = "RSA", ["kid"] = "k1", ["n"] = B(p.Modulus!), ["e"] = "AQAB", ["d"] = B(p.D!) };
        var key = SigningKey.FromJwk(jwk.ToJsonString(), null);
        Assert.Equal("k1", key.KeyId);
        var jwt = ClientAssertion.Create(key, "client-1", "https://example.test/token").Split('.');
        var signed = System.Text.Encoding.ASCII.GetBytes(jwt[0] + "." + jwt[1]);
        Assert.True(rsa.VerifyData(signed, Base64Url.DecodeFromChars(jwt[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Theory]
    [InlineData("pkcs1")]
    [InlineData("pkcs8")]
    [InlineData("ec")]
    public void Pem_private_keys_load(string kind)
    {
        var path = Path.GetTempFileName();
        try
        {
            using AsymmetricAlgorithm key = kind == "ec" ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : RSA.Create(2048);
            File.WriteAllText(path, kind switch
            {
                "pkcs1" => ((RSA)key).ExportRSAPrivateKeyPem(),
                "pkcs8" => key.ExportPkcs8PrivateKeyPem(),
                _ => ((ECDsa)key).ExportECPrivateKeyPem(),
            });
            var signing = SigningKey.FromFile(path, "kid-1");
            Assert.Equal(kind == "ec" ? "ES256" : "RS256", signing.Algorithm);
            Assert.Equal(3, ClientAssertion.Create(signing, "c", "https://t").Split('.').Length);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void A_key_without_a_kid_is_refused_naming_KeyId()
    {
        var path = Path.GetTempFileName();
        try
        {
            using var rsa = RSA.Create(2048);
            File.WriteAllText(path, rsa.ExportPkcs8PrivateKeyPem());
            var ex = Assert.Throws<ArgumentException>(() => SigningKey.FromFile(path, null));
            Assert.StartsWith("KeyId:", ex.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Secrets_print_as_asterisks() => Assert.Equal("********", Secret.FromString("hunter2").ToString());
}
