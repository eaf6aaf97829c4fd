using System;
using System.Buffers.Text;
using System.IO;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FinqLink.Auth;
using FinqLink.Http;
using FinqLink.Models;
using FinqLink.Validation;
using Xunit;

namespace FinqLink.Core.Tests;

public class ClientLogicTests
{
    [Theory]
    [InlineData("100.5", "100.50")]
    [InlineData("100", "100")]
    [InlineData("0.5", "0.50")]
    public void Money_is_written_the_documented_way(string input, string expected) =>
        Assert.Equal(expected, Money.Format(decimal.Parse(input, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Create_request_validates_fields_and_names_them()
    {
        var ex = Assert.Throws<FinqLinkValidationException>(() => new CreateLinkRequest { Amount = 10.001m, Currency = "RON" }.ToBody());
        Assert.Equal("Amount", ex.Field);
        Assert.Equal("Currency", Assert.Throws<FinqLinkValidationException>(() => new CreateLinkRequest { Amount = 1, Currency = "LEI" }.ToBody()).Field);
        Assert.Equal("ProviderId", Assert.Throws<FinqLinkValidationException>(() => new CreateLinkRequest { Amount = 1, Currency = "RON", FlowType = "wrapped_sca" }.ToBody()).Field);
        Assert.Equal("ExpiresIn", Assert.Throws<FinqLinkValidationException>(() => new CreateLinkRequest { Amount = 1, Currency = "RON", ExpiresIn = TimeSpan.FromDays(46) }.ToBody()).Field);
        Assert.Equal("TrackingUserId", Assert.Throws<FinqLinkValidationException>(() => new CreateLinkRequest { Amount = 1, Currency = "RON", TrackingUserId = "Bad Id" }.ToBody()).Field);
    }

    [Fact]
    public void Create_request_builds_the_body_and_merges_additional_properties()
    {
        var body = new CreateLinkRequest
        {
            Amount = 150m, Currency = "ron", CreditorIban = "RO10 RZBR 0000 0699 9999 9970", ProviderId = new[] { "rzb_ro" },
            AdditionalProperties = new System.Collections.Hashtable { ["options"] = new System.Collections.Hashtable { ["language"] = "ro" } },
            FlowType = "link",
        }.ToBody();
        Assert.Equal("150", (string?)body["single_transfer"]!["amount"]);
        Assert.Equal("RON", (string?)body["single_transfer"]!["currency"]);
        Assert.Equal("RO10RZBR0000069999999970", (string?)body["single_transfer"]!["creditor"]!["iban"]);
        Assert.Equal("link", (string?)body["options"]!["type"]);
        Assert.Equal("ro", (string?)body["options"]!["language"]);
    }

    [Fact]
    public void Redactor_masks_secrets_tokens_assertions_and_key_parts()
    {
        var json = Redactor.RedactJson("""{"client_id":"c","client_secret":"s3cr3t","nested":{"access_token":"tok","d":"keypart"},"code":"validation_error"}""");
        Assert.DoesNotContain("s3cr3t", json);
        Assert.DoesNotContain("tok\"", json);
        Assert.DoesNotContain("keypart", json);
        Assert.Contains("validation_error", json);
        Assert.DoesNotContain("eyJabc", Redactor.RedactForm("grant_type=client_credentials&client_assertion=eyJabc&client_secret=x"));
    }

    [Fact]
    public void Retry_after_is_read_as_seconds_or_http_date()
    {
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromSeconds(3), RetryPolicy.ParseRetryAfter("3", now));
        Assert.Equal(TimeSpan.FromSeconds(5), RetryPolicy.ParseRetryAfter(now.AddSeconds(5).ToString("r"), now));
        var policy = new RetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1) };
        for (var attempt = 0; attempt < 8; attempt++) Assert.InRange(policy.Delay(attempt, null), TimeSpan.Zero, TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromSeconds(1), policy.Delay(0, TimeSpan.FromSeconds(30)));
    }

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
        using var rsa = RSA.Create(2048);
        File.WriteAllText(path, rsa.ExportPkcs8PrivateKeyPem());
        var ex = Assert.Throws<ArgumentException>(() => SigningKey.FromFile(path, null));
        Assert.StartsWith("KeyId:", ex.Message);
        File.Delete(path);
    }

    [Fact]
    public void Secrets_print_as_asterisks() => Assert.Equal("********", Secret.FromString("hunter2").ToString());
}
