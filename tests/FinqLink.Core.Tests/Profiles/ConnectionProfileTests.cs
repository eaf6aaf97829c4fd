using System;
using System.IO;
using System.Runtime.InteropServices;
using FinqLink.Profiles;
using Xunit;

namespace FinqLink.Core.Tests.Profiles;

public sealed class ConnectionProfileTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "finqlink-profiles-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private static ConnectionProfile Saved() => new()
    {
        Name = "prod", BaseUri = new Uri("https://acme.finqware.com/"), ClientId = "acme", Credential = ProfileCredential.Pfx,
        PfxPath = "/keys/acme.pfx", SecretVariable = "ACME_PFX_PASSWORD", KeyId = "acme-2026", ApiVersion = "v1", UseTestPath = true,
        ClientCertificatePath = "/keys/mtls.pfx", ClientCertificatePasswordVariable = "ACME_MTLS_PASSWORD", TimeoutSec = 30,
    };

    [Fact]
    public void A_given_credential_replaces_the_saved_one_whole_and_other_fields_are_kept()
    {
        var merged = ConnectionProfileMerge.Overlay(Saved(), new ConnectionProfile { Credential = ProfileCredential.PrivateKeyPath, PrivateKeyPath = "/keys/new.pem", TimeoutSec = 5 });
        Assert.Equal(ProfileCredential.PrivateKeyPath, merged.Credential);
        Assert.Equal("/keys/new.pem", merged.PrivateKeyPath);
        Assert.Null(merged.PfxPath);
        Assert.Null(merged.SecretVariable);   // the PFX password's variable does not follow a key file
        Assert.Equal(5, merged.TimeoutSec);
        Assert.Equal("acme", merged.ClientId);
        Assert.Equal("acme-2026", merged.KeyId);
        Assert.Equal("v1", merged.ApiVersion);
        Assert.True(merged.UseTestPath);
        Assert.Equal("/keys/mtls.pfx", merged.ClientCertificatePath);
    }

    [Fact]
    public void A_given_client_certificate_replaces_the_saved_one_whole_and_false_flags_win()
    {
        var merged = ConnectionProfileMerge.Overlay(Saved(), new ConnectionProfile { ClientCertificateThumbprint = new string('A', 40), UseTestPath = false, Environment = "Sandbox" });
        Assert.Equal(new string('A', 40), merged.ClientCertificateThumbprint);
        Assert.Null(merged.ClientCertificatePath);
        Assert.Null(merged.ClientCertificatePasswordVariable);
        Assert.False(merged.UseTestPath);
        Assert.Equal("Sandbox", merged.Environment);
        Assert.Null(merged.BaseUri);   // an environment given replaces the saved base URI
        Assert.Equal(ProfileCredential.Pfx, merged.Credential);
    }

    [Theory]
    [InlineData("https://user:pass@acme.finqware.com/", null, null)]
    [InlineData(null, "http://proxy-user:proxy-pass@proxy:3128/", null)]
    [InlineData(null, null, "https://acme.finqware.com/token?sig=SAS-SECRET")]
    public void Refuses_an_address_that_may_carry_a_secret_and_does_not_repeat_it(string? baseUri, string? proxy, string? tokenEndpoint)
    {
        var profile = Saved();
        profile.BaseUri = baseUri == null ? profile.BaseUri : new Uri(baseUri);
        profile.Proxy = proxy == null ? null : new Uri(proxy);
        profile.TokenEndpoint = tokenEndpoint == null ? null : new Uri(tokenEndpoint);
        var refused = Assert.Throws<ConnectionProfileException>(() => new ConnectionProfileStore(_folder).Write(profile));
        Assert.Equal(ConnectionProfileError.Invalid, refused.Error);
        foreach (var secret in new[] { "user:pass", "proxy-pass", "SAS-SECRET" }) Assert.DoesNotContain(secret, refused.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_folder) && Directory.GetFiles(_folder).Length > 0);
    }

    [Theory]
    [InlineData("demo-secret")]
    [InlineData("-----BEGIN PRIVATE KEY-----")]
    [InlineData("p@ss word")]
    public void A_secret_variable_must_be_a_variable_name_not_a_value(string value)
    {
        var profile = Saved();
        profile.SecretVariable = value;
        Assert.Equal(ConnectionProfileError.Invalid, Assert.Throws<ConnectionProfileException>(() => new ConnectionProfileStore(_folder).Write(profile)).Error);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("")]
    [InlineData(".hidden")]
    [InlineData("trailing.")]
    public void A_name_must_be_a_plain_file_name(string name)
    {
        var profile = Saved();
        profile.Name = name;
        Assert.Equal(ConnectionProfileError.Invalid, Assert.Throws<ConnectionProfileException>(() => new ConnectionProfileStore(_folder).Write(profile)).Error);
    }

    [Fact]
    public void Writes_a_file_of_its_owner_only_and_reads_it_back()
    {
        var store = new ConnectionProfileStore(_folder);
        var path = store.Write(Saved());
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_folder));
        }
        var read = store.Read("prod");
        Assert.Equal(ProfileCredential.Pfx, read.Credential);
        Assert.Equal("ACME_PFX_PASSWORD", read.SecretVariable);
        Assert.Equal(new Uri("https://acme.finqware.com/"), read.BaseUri);
        Assert.Equal(path, read.Path);
        Assert.Single(Directory.GetFiles(_folder));   // no temporary file left behind
    }

    [Fact]
    public void An_unknown_name_lists_the_profiles_that_exist()
    {
        var store = new ConnectionProfileStore(_folder);
        store.Write(Saved());
        var other = Saved();
        other.Name = "Test-1";
        store.Write(other);
        var missing = Assert.Throws<ConnectionProfileException>(() => store.Read("prd"));
        Assert.Equal(ConnectionProfileError.NotFound, missing.Error);
        Assert.Equal("Profile 'prd' does not exist. Saved profiles: prod, Test-1.", missing.Message);
        Assert.Contains("No profile is saved", Assert.Throws<ConnectionProfileException>(() => new ConnectionProfileStore(Path.Combine(_folder, "none")).Read("x")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_profile_is_named_as_such()
    {
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, "broken.json"), "{ not json");
        var broken = Assert.Throws<ConnectionProfileException>(() => new ConnectionProfileStore(_folder).Read("broken"));
        Assert.Equal(ConnectionProfileError.Invalid, broken.Error);
        Assert.Contains("Remove-FinqConnectionProfile broken", broken.Message, StringComparison.Ordinal);
    }
}
