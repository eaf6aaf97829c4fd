using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading.Tasks;
using FinqLink.Sandbox;
using FinqLink.Testing;
using Xunit;

namespace FinqLink.Sandbox.Tests;

public sealed class SandboxTlsTests : IClassFixture<MtlsSandboxFixture>
{
    private readonly MtlsSandboxFixture _f;
    public SandboxTlsTests(MtlsSandboxFixture fixture) => _f = fixture;

    private Task<HttpResponseMessage> ListProviders(HttpClient http) => http.PostAsync(_f.Sandbox.BaseUrl + "/v2/providers/list",
        new StringContent("""{"client_id":"demo","client_secret":"demo-secret"}""", Encoding.UTF8, "application/json"));

    [Theory]
    [InlineData(ClientCertificateFlaw.None)]                    // the CA has KeyUsage keyCertSign and no EKU at all: accepted
    [InlineData(ClientCertificateFlaw.CaEkuWithClientAuth)]     // the CA's EKU contains clientAuth
    public async Task A_client_certificate_issued_by_the_ca_reaches_the_api_and_the_token_endpoint(ClientCertificateFlaw issuer)
    {
        Assert.StartsWith("https://127.0.0.1:", _f.Sandbox.BaseUrl);
        using var certificate = _f.Pki.Client(issuer, subject: "CN=valid-client");
        using var http = _f.ClientWith(certificate);
        Assert.Equal(HttpStatusCode.OK, (await ListProviders(http)).StatusCode);
        var token = await http.PostAsync(_f.Sandbox.TokenEndpointUrl, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["scope"] = "pay_by_link", ["client_id"] = "demo", ["client_secret"] = "demo-secret",
        }));
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        Assert.DoesNotContain(_f.Sandbox.Control.RejectedClientCertificates, r => r.StartsWith("CN=valid-client", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(ClientCertificateFlaw.IsCa, "must not be a CA")]
    [InlineData(ClientCertificateFlaw.NoClientAuth, "must contain clientAuth")]
    [InlineData(ClientCertificateFlaw.CodeSigning, "must not contain codeSigning")]
    [InlineData(ClientCertificateFlaw.Expired, "expired")]
    [InlineData(ClientCertificateFlaw.SelfSigned, "must not be self-signed")]
    [InlineData(ClientCertificateFlaw.OtherCa, "does not chain to a registered CA")]
    [InlineData(ClientCertificateFlaw.CaWithoutKeyUsage, "the KeyUsage extension (keyCertSign) is missing")]
    [InlineData(ClientCertificateFlaw.CaWithoutKeyCertSign, "the KeyUsage extension lacks keyCertSign")]
    [InlineData(ClientCertificateFlaw.CaEkuWithoutClientAuth, "the ExtendedKeyUsage extension lacks clientAuth")]
    [InlineData(ClientCertificateFlaw.CaExpired, "issuing CA certificate is expired")]
    public async Task Each_broken_mtls_rule_fails_the_handshake_and_is_logged_with_its_reason(ClientCertificateFlaw flaw, string reason)
    {
        var subject = $"CN=flaw-{flaw}-{Guid.NewGuid():N}";
        using var certificate = _f.Pki.Client(flaw, subject);
        using var http = _f.ClientWith(certificate);
        await Assert.ThrowsAsync<HttpRequestException>(() => ListProviders(http));
        var rejection = Assert.Single(_f.Sandbox.Control.RejectedClientCertificates, r => r.StartsWith(subject, StringComparison.Ordinal));
        Assert.Contains(reason, rejection);
    }

    [Fact]
    public async Task No_client_certificate_fails_the_handshake()
    {
        using var http = _f.ClientWith(null);
        await Assert.ThrowsAsync<HttpRequestException>(() => ListProviders(http));
    }
}
