using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using FinqLink.Sandbox.Auth;
using FinqLink.Testing;
using Xunit;

namespace FinqLink.Module.Tests;

/// <summary>Every way Connect-FinqLink authenticates and reaches the API: certificates, PFX, the store, OAuth2 secret, PSCredential, proxy.</summary>
public sealed class ConnectTests : IClassFixture<SandboxFixture>, IDisposable
{
    private const string KeyId = "runbook-2026";
    private readonly SandboxFixture _fixture;
    private readonly ModuleHost _ps = new();
    private readonly RSA _key = RSA.Create(2048);
    private readonly X509Certificate2 _certificate;
    private readonly string _clientId = "cert-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _directory = Directory.CreateTempSubdirectory("finqlink-connect-").FullName;

    public ConnectTests(SandboxFixture fixture)
    {
        _fixture = fixture;
        var request = new CertificateRequest("CN=finqlink-runbook", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        // Registered as a PEM public key, the other form FinqLink (and the sandbox) accept besides a JWK.
        fixture.Sandbox.Control.Clients.Register(ClientRegistry.FromJson(new JsonObject
        {
            ["client_id"] = _clientId, ["keys"] = new JsonArray(new JsonObject { ["kid"] = KeyId, ["pem"] = _key.ExportSubjectPublicKeyInfoPem() }),
        }));
    }

    private string Sandbox => _fixture.Sandbox.BaseUrl;
    private string TokenEndpoint => _fixture.Sandbox.TokenEndpointUrl;

    private void AssertConnectedAndWorking(string authMethod, string reference)
    {
        _ps.AssertNoErrors();
        var session = _ps.Invoke("Get-FinqSession").Single();
        Assert.Equal(authMethod, session.Properties["AuthMethod"].Value);
        var link = _ps.Invoke("New-FinqLink -Amount 12.5 -Currency RON -Reference $args[0]", reference).Single();
        _ps.AssertNoErrors();
        Assert.Equal("created", link.Properties["Status"].Value);
    }

    [Fact]
    public void A_certificate_object_signs_the_client_assertion()
    {
        _ps.Invoke("Connect-FinqLink -BaseUri $args[0] -ClientId $args[1] -Certificate $args[2] -KeyId $args[3] -TokenEndpoint $args[4]",
            Sandbox, _clientId, _certificate, KeyId, TokenEndpoint);
        AssertConnectedAndWorking("PrivateKeyJwt", "connect-certificate");
        Assert.Equal(KeyId, _ps.Invoke("(Get-FinqSession).SigningKeyId").Single().BaseObject);
    }

    [Fact]
    public void A_password_protected_pfx_signs_the_client_assertion_and_a_wrong_password_is_a_clear_error()
    {
        var pfx = Path.Combine(_directory, "runbook.pfx");
        File.WriteAllBytes(pfx, _certificate.Export(X509ContentType.Pfx, "pfx-Pa55"));

        _ps.Invoke("Connect-FinqLink -BaseUri $args[0] -ClientId $args[1] -PfxPath $args[2] -PfxPassword $args[3] -KeyId $args[4] -TokenEndpoint $args[5]",
            Sandbox, _clientId, pfx, PayCmdletTests.Secure("wrong-password"), KeyId, TokenEndpoint);
        var error = Assert.Single(_ps.Last.Errors);
        Assert.Equal("FinqLink.InvalidInput.PfxPath,FinqLink.PowerShell.Cmdlets.ConnectFinqLinkCommand", error.FullyQualifiedErrorId);
        Assert.DoesNotContain("wrong-password", error.ToString());

        _ps.Invoke("Connect-FinqLink -BaseUri $args[0] -ClientId $args[1] -PfxPath $args[2] -PfxPassword $args[3] -KeyId $args[4] -TokenEndpoint $args[5]",
            Sandbox, _clientId, pfx, PayCmdletTests.Secure("pfx-Pa55"), KeyId, TokenEndpoint);
        AssertConnectedAndWorking("PrivateKeyJwt", "connect-pfx");
    }

    [Fact]
    public void A_certificate_thumbprint_is_found_in_the_current_user_store()
    {
        using var stored = X509CertificateLoader.LoadPkcs12(_certificate.Export(X509ContentType.Pfx, "x"), "x",
            X509KeyStorageFlags.Exportable | X509KeyStorageFlags.PersistKeySet);
        using var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
        store.Open(OpenFlags.ReadWrite);
        store.Add(stored);
        try
        {
            _ps.Invoke("Connect-FinqLink -BaseUri $args[0] -ClientId $args[1] -CertificateThumbprint $args[2] -KeyId $args[3] -TokenEndpoint $args[4]",
                Sandbox, _clientId, _certificate.Thumbprint, KeyId, TokenEndpoint);
            AssertConnectedAndWorking("PrivateKeyJwt", "connect-thumbprint");
        }
        finally { store.Remove(stored); }

        _ps.Invoke("Connect-FinqLink -BaseUri $args[0] -ClientId $args[1] -CertificateThumbprint $args[2] -KeyId $args[3] -TokenEndpoint $args[4]",
            Sandbox, _clientId, new string('A', 40), KeyId, TokenEndpoint);
        Assert.Contains("no certificate " + new string('A', 40), Assert.Single(_ps.Last.Errors).Exception.Message);
    }

    [Fact]
    public void An_oauth_client_secret_gets_a_token_from_the_token_endpoint()
    {
        var before = _fixture.Sandbox.Control.Counters.TokensIssued;
        _ps.Invoke("Connect-FinqLink -BaseUri $args[0] -ClientId demo -OAuthClientSecret $args[1] -TokenEndpoint $args[2]",
            Sandbox, PayCmdletTests.Secure(ClientRegistry.DemoClientSecret), TokenEndpoint);
        AssertConnectedAndWorking("OAuthClientSecret", "connect-oauth-secret");
        Assert.NotNull(_ps.Invoke("(Get-FinqSession).TokenExpiresAt").Single());
        Assert.True(_fixture.Sandbox.Control.Counters.TokensIssued > before);
    }

    [Fact]
    public void A_credential_gives_the_client_id_and_secret_of_test_mode()
    {
        var credential = new PSCredential(ClientRegistry.DemoClientId, PayCmdletTests.Secure(ClientRegistry.DemoClientSecret));
        _ps.Invoke("Connect-FinqLink -BaseUri $args[0] -Credential $args[1]", Sandbox, credential);
        AssertConnectedAndWorking("ClientSecret", "connect-credential");
        Assert.Equal("demo", _ps.Invoke("(Get-FinqSession).ClientId").Single().BaseObject);
    }

    [Fact]
    public void An_address_with_no_api_says_to_check_the_base_uri_not_an_id()
    {
        var credential = new PSCredential(ClientRegistry.DemoClientId, PayCmdletTests.Secure(ClientRegistry.DemoClientSecret));
        _ps.Invoke("Connect-FinqLink -BaseUri ([string]$args[0] + '/wrongprefix/') -Credential $args[1]", Sandbox, credential);
        var error = Assert.Single(_ps.Last.Errors);
        Assert.True(error.FullyQualifiedErrorId.StartsWith("FinqLink.Api.not_found", StringComparison.Ordinal), error.FullyQualifiedErrorId + ": " + error.Exception.Message);
        Assert.StartsWith("Check -BaseUri", error.ErrorDetails.RecommendedAction);
        Assert.Empty(_ps.Invoke("Get-FinqSession"));
    }

    [Fact]
    public void Environment_api_version_test_path_and_disconnect_behave_as_documented()
    {
        var secret = PayCmdletTests.Secure(ClientRegistry.DemoClientSecret);
        var finqware = _ps.Invoke("Connect-FinqLink -Environment Sandbox -ClientId demo -ClientSecret $args[0] -SkipVerification -PassThru", secret).Single();
        Assert.Equal(new Uri("https://sandbox-pay.finqware.com"), finqware.Properties["BaseUri"].Value);
        _ps.Invoke("Connect-FinqLink -Environment Sandbox -BaseUri $args[0] -ClientId demo -ClientSecret $args[1]", Sandbox, secret);
        Assert.Contains("give one, not both", Assert.Single(_ps.Last.Errors).Exception.Message);

        _ps.Invoke("Connect-FinqLink -BaseUri $args[0] -ClientId demo -ClientSecret $args[1] -ApiVersion v1 -UseTestPath; Get-FinqProvider -ProviderId rzb_ro -Verbose | Out-Null", Sandbox, secret);
        _ps.AssertNoErrors();
        Assert.Contains(_ps.Last.Verbose, line => line.Contains("/v1/test/providers/get"));

        _ps.Invoke("Disconnect-FinqLink");
        Assert.Empty(_ps.Invoke("Get-FinqSession"));
        _ps.Invoke("Get-FinqProvider");
        Assert.Contains("Connect-FinqLink", Assert.Single(_ps.Last.Errors).Exception.Message);
    }

    [Fact]
    public void A_proxy_with_credentials_carries_the_token_request_and_every_api_call()
    {
        using var proxy = new LoopbackProxy("proxy-user", "proxy-Pa55");
        var credential = new PSCredential("proxy-user", PayCmdletTests.Secure("proxy-Pa55"));
        _ps.Invoke("Connect-FinqLink -BaseUri $args[0] -ClientId $args[1] -Certificate $args[2] -KeyId $args[3] -TokenEndpoint $args[4] -Proxy $args[5] -ProxyCredential $args[6]",
            Sandbox, _clientId, _certificate, KeyId, TokenEndpoint, proxy.Address, credential);
        AssertConnectedAndWorking("PrivateKeyJwt", "connect-proxy");
        Assert.Equal(proxy.Address, _ps.Invoke("(Get-FinqSession).Proxy").Single().BaseObject);

        Assert.True(proxy.Challenged > 0, "the proxy should have asked for credentials first");
        Assert.Contains("POST " + TokenEndpoint, proxy.Forwarded);
        Assert.Contains("POST " + Sandbox + "/v2/links/create", proxy.Forwarded);
        var session = _ps.Invoke("Get-FinqSession").Single();
        Assert.DoesNotContain("proxy-Pa55", string.Join("\n", session.Properties.Select(p => p.Value?.ToString())));
    }

    [Fact]
    public void Credentials_written_into_the_proxy_url_are_used_and_never_shown()
    {
        using var proxy = new LoopbackProxy("proxy-user", "proxy-Pa55");
        var withPassword = new UriBuilder(proxy.Address) { UserName = "proxy-user", Password = "proxy-Pa55" }.Uri;
        var secret = PayCmdletTests.Secure(ClientRegistry.DemoClientSecret);
        _ps.Invoke("Connect-FinqLink -BaseUri $args[0] -ClientId demo -ClientSecret $args[1] -Proxy $args[2] -Verbose -Debug; New-FinqLink -Amount 2 -Currency RON -Verbose -Debug | Out-Null",
            Sandbox, secret, withPassword);
        _ps.AssertNoErrors();
        Assert.Contains(proxy.Forwarded, line => line.StartsWith("POST " + Sandbox, StringComparison.Ordinal) && line.EndsWith("links/create", StringComparison.Ordinal));
        var shown = _ps.Invoke("$s = Get-FinqSession; $s.Proxy; $s.ToString(); $s | Format-List * | Out-String -Width 200").Select(o => o.ToString());
        var streams = _ps.Last.Verbose.Concat(_ps.Last.Debug);
        Assert.Equal(proxy.Address, _ps.Invoke("(Get-FinqSession).Proxy").Single().BaseObject);

        var wrong = new UriBuilder(proxy.Address) { UserName = "proxy-user", Password = "Wr0ng-Pa55" }.Uri;
        _ps.Invoke("Connect-FinqLink -BaseUri $args[0] -ClientId demo -ClientSecret $args[1] -Proxy $args[2] -Verbose", Sandbox, secret, wrong);
        var error = Assert.Single(_ps.Last.Errors);
        Assert.Contains("407", error.Exception.Message);

        var everything = string.Join("\n", shown.Concat(streams).Concat(_ps.Last.Verbose).Append(error.ToString()).Append(error.Exception.ToString())
            .Append(error.TargetObject?.ToString() ?? ""));
        Assert.DoesNotContain("proxy-Pa55", everything);
        Assert.DoesNotContain("Wr0ng-Pa55", everything);
        Assert.DoesNotContain(ClientRegistry.DemoClientSecret, everything);
    }

    [Fact]
    public void A_proxy_that_refuses_the_credentials_is_a_clear_connection_error()
    {
        using var proxy = new LoopbackProxy("proxy-user", "proxy-Pa55");
        _ps.Invoke("Connect-FinqLink -BaseUri $args[0] -ClientId demo -ClientSecret $args[1] -Proxy $args[2]",
            Sandbox, PayCmdletTests.Secure(ClientRegistry.DemoClientSecret), proxy.Address);
        var error = Assert.Single(_ps.Last.Errors);
        Assert.Contains("407", error.Exception.Message);
        Assert.Empty(proxy.Forwarded);
        Assert.Empty(_ps.Invoke("Get-FinqSession"));
    }

    public void Dispose()
    {
        _ps.Dispose();
        _certificate.Dispose();
        _key.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}

/// <summary>Connect-FinqLink's -ClientCertificate against a sandbox on HTTPS that requires mTLS.</summary>
public sealed class MtlsConnectTests : IClassFixture<MtlsSandboxFixture>, IDisposable
{
    private readonly MtlsSandboxFixture _fixture;
    private readonly ModuleHost _ps = new();

    public MtlsConnectTests(MtlsSandboxFixture fixture) => _fixture = fixture;

    private void Connect(X509Certificate2 certificate, bool skipCertificateCheck = true) => _ps.Invoke(
        "param($uri, $secret, $token, $cert, $skip) Connect-FinqLink -BaseUri $uri -ClientId demo -OAuthClientSecret $secret -TokenEndpoint $token -ClientCertificate $cert -SkipCertificateCheck:$skip",
        _fixture.Sandbox.BaseUrl, PayCmdletTests.Secure(ClientRegistry.DemoClientSecret), _fixture.Sandbox.TokenEndpointUrl, certificate, skipCertificateCheck);

    [Fact]
    public void A_valid_client_certificate_reaches_the_token_endpoint_and_the_api()
    {
        using var certificate = _fixture.Pki.Client(subject: "CN=runbook-mtls");
        Connect(certificate);
        _ps.AssertNoErrors();
        Assert.Contains(_ps.Last.Warnings, w => w.Contains("SkipCertificateCheck"));
        var session = _ps.Invoke("Get-FinqSession").Single();
        Assert.Equal("CN=runbook-mtls", session.Properties["CertificateSubject"].Value);
        Assert.Equal(certificate.Thumbprint, session.Properties["CertificateThumbprint"].Value);
        Assert.Equal(true, session.Properties["SkipCertificateCheck"].Value);
        var link = _ps.Invoke("New-FinqLink -Amount 40 -Currency RON -Reference mtls-1").Single();
        _ps.AssertNoErrors();
        Assert.Equal("created", link.Properties["Status"].Value);
    }

    [Fact]
    public void An_expired_client_certificate_fails_to_connect_and_the_sandbox_says_why()
    {
        using var certificate = _fixture.Pki.Client(ClientCertificateFlaw.Expired, "CN=runbook-expired");
        Connect(certificate);
        var error = Assert.Single(_ps.Last.Errors);
        Assert.StartsWith("FinqLink.Transport", error.FullyQualifiedErrorId);
        Assert.Contains("token endpoint https://127.0.0.1", error.Exception.Message);   // with TLS 1.3 the refusal arrives after the handshake
        Assert.Empty(_ps.Invoke("Get-FinqSession"));
        Assert.Contains(_fixture.Sandbox.Control.RejectedClientCertificates, r => r.StartsWith("CN=runbook-expired", StringComparison.Ordinal) && r.Contains("expired"));
    }

    [Fact]
    public void An_untrusted_server_certificate_is_refused_unless_the_check_is_skipped()
    {
        using var certificate = _fixture.Pki.Client(subject: "CN=runbook-strict");
        Connect(certificate, skipCertificateCheck: false);
        var error = Assert.Single(_ps.Last.Errors);
        Assert.StartsWith("FinqLink.Transport", error.FullyQualifiedErrorId);
        Assert.Contains("TLS handshake failed", error.Exception.Message);
        Assert.Contains("token endpoint https://127.0.0.1", error.Exception.Message);
    }

    public void Dispose() => _ps.Dispose();
}
