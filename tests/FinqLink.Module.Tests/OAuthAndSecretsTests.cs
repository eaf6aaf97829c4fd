using System;
using System.Linq;
using Xunit;

namespace FinqLink.Module.Tests;

public sealed class OAuthAndSecretsTests : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SandboxFixture _fixture;
    private readonly ModuleHost _ps = new();
    private readonly KeyFiles _keys = new("oauth-" + Guid.NewGuid().ToString("N")[..8]);

    public OAuthAndSecretsTests(SandboxFixture fixture)
    {
        _fixture = fixture;
        fixture.Sandbox.Control.Clients.Register(_keys.Registration());
    }

    private void Connect(string keyPath) =>
        _ps.Invoke("Connect-FinqLink -BaseUri $args[0] -ClientId $args[1] -PrivateKeyPath $args[2] -KeyId $args[3] -TokenEndpoint $args[4] -Verbose -Debug",
            _fixture.Sandbox.BaseUrl, _keys.ClientId, keyPath, _keys.Kid, _fixture.Sandbox.TokenEndpointUrl);

    [Theory]
    [InlineData("pem")]
    [InlineData("jwk")]
    public void The_key_scripts_pem_and_ned_only_jwk_both_authenticate(string format)
    {
        Connect(format == "pem" ? _keys.PemPath : _keys.JwkPath);
        _ps.AssertNoErrors();
        var session = _ps.Invoke("Get-FinqSession").Single();
        Assert.Equal("PrivateKeyJwt", session.Properties["AuthMethod"].Value);
        Assert.NotNull(session.Properties["TokenExpiresAt"].Value);
        var link = _ps.Invoke("New-FinqLink -Amount 5 -Currency RON -Reference oauth-" + format).Single();
        Assert.Equal("created", link.Properties["Status"].Value);
    }

    [Fact]
    public void A_wrong_key_id_fails_to_connect_with_an_authentication_error()
    {
        _ps.Invoke("Connect-FinqLink -BaseUri $args[0] -ClientId $args[1] -PrivateKeyPath $args[2] -KeyId wrong-kid -TokenEndpoint $args[3]",
            _fixture.Sandbox.BaseUrl, _keys.ClientId, _keys.PemPath, _fixture.Sandbox.TokenEndpointUrl);
        var error = Assert.Single(_ps.Last.Errors);
        Assert.StartsWith("FinqLink.Api.invalid_client", error.FullyQualifiedErrorId);
        Assert.Contains("kid 'wrong-kid' is not registered", error.Exception.Message);
        Assert.Empty(_ps.Invoke("Get-FinqSession"));
    }

    [Fact]
    public void Tokens_that_expire_between_calls_never_surface_an_authentication_error()
    {
        var (lifetime, offset) = (_fixture.Sandbox.Settings.TokenLifetime, _fixture.Sandbox.Clock.Offset);
        // The sandbox's clock, not the real one, moves past each token's expiry: a lifetime of a real second could also
        // lapse inside one call on a loaded machine (refresh, then the retried request over a second later: a 401 again).
        _fixture.Sandbox.Settings.TokenLifetime = TimeSpan.FromSeconds(30);
        try
        {
            Connect(_keys.PemPath);
            var before = _fixture.Sandbox.Control.Counters.TokensIssued;
            for (var i = 0; i < 6; i++)
            {
                _ps.Invoke("Get-FinqProvider -ProviderId rzb_ro | Out-Null; New-FinqLink -Amount 1 -Currency RON -Reference ('short-token-' + $args[0]) | Out-Null", i);
                _ps.AssertNoErrors();
                // The session still holds a token it believes valid for half a minute; the sandbox refuses it as expired.
                _fixture.Sandbox.Clock.Advance(TimeSpan.FromSeconds(31));
            }
            Assert.True(_fixture.Sandbox.Control.Counters.TokensIssued - before >= 5, "the session should have renewed its token after each expiry");
        }
        finally { (_fixture.Sandbox.Settings.TokenLifetime, _fixture.Sandbox.Clock.Offset) = (lifetime, offset); }
    }

    [Fact]
    public void Verbose_and_debug_streams_hold_no_secret_token_assertion_or_key()
    {
        Connect(_keys.PemPath);
        _ps.Invoke("New-FinqLink -Amount 7.5 -Currency RON -Reference secrets-1 -Verbose -Debug | Out-Null; Get-FinqLink -First 2 -Verbose -Debug | Out-Null");
        var connectAndCreate = string.Join("\n", _ps.Last.Verbose.Concat(_ps.Last.Debug));
        Assert.Contains("links/create", connectAndCreate);
        Assert.Contains("-> 200", connectAndCreate);

        _ps.Invoke("Connect-FinqLink -BaseUri $args[0] -ClientId demo -ClientSecret $args[1] -Verbose -Debug; New-FinqLink -Amount 3 -Currency RON -Reference secrets-2 -Debug | Out-Null",
            _fixture.Sandbox.BaseUrl, PayCmdletTests.Secure("demo-secret"));
        var all = connectAndCreate + "\n" + string.Join("\n", _ps.Last.Verbose.Concat(_ps.Last.Debug));
        Assert.DoesNotContain("demo-secret", all);
        Assert.DoesNotMatch(@"eyJ[\w-]+\.eyJ[\w-]*\.", all);        // no JWT (client assertion)
        Assert.DoesNotMatch("[0-9a-f]{64}", all);                  // no sandbox access token
        Assert.DoesNotContain("PRIVATE KEY", all);
        Assert.DoesNotContain(System.IO.File.ReadAllText(_keys.PemPath).Split('\n')[1], all);
        Assert.Matches("\"client_secret\":\"\\*\\*\\*\"", all);
    }

    public void Dispose()
    {
        _ps.Dispose();
        _keys.Dispose();
    }
}
