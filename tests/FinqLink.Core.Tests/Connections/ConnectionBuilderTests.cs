using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FinqLink.Auth;
using FinqLink.Connections;
using FinqLink.Profiles;
using Xunit;

namespace FinqLink.Core.Tests.Connections;

/// <summary>Connection building without PowerShell: the environment is a dictionary, profiles live in a temporary folder.</summary>
public sealed class ConnectionBuilderTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "finqlink-connect-" + Guid.NewGuid().ToString("N"));
    private readonly List<string> _warnings = new();

    public ConnectionBuilderTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Dictionary<string, string> Env(params string[] namesAndValues)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < namesAndValues.Length; i += 2) variables[namesAndValues[i]] = namesAndValues[i + 1];
        return variables;
    }

    private Connection Build(ConnectionRequest request, Dictionary<string, string> environment) =>
        new ConnectionBuilder(request, environment, path => Path.Combine(_folder, path), new ConnectionProfileStore(Path.Combine(_folder, "profiles")), _warnings.Add).Build();

    private static ConnectionRequest FromEnvironment() => new() { Kind = CredentialKind.FromEnvironment };

    [Fact]
    public void Reads_the_connection_from_finqlink_variables()
    {
        var connection = Build(FromEnvironment(), Env("FINQLINK_CLIENT_ID", " demo ", "FINQLINK_BASE_URI", "http://127.0.0.1:5000/", "FINQLINK_CLIENT_SECRET", "s3cret",
            "FINQLINK_USE_TEST_PATH", "yes", "FINQLINK_API_VERSION", "v1", "FINQLINK_SCOPE", ""));

        Assert.Equal(("demo", "ClientSecret", "v1", true), (connection.Options.ClientId, connection.Options.Authenticator.Method, connection.Options.Paths.ApiVersion, connection.Options.Paths.UseTestPath));
        Assert.Equal(new Uri("http://127.0.0.1:5000/"), connection.Options.Paths.BaseUri);
    }

    [Fact]
    public void A_value_given_wins_over_its_variable()
    {
        var request = FromEnvironment();
        request.KeyId = "given-kid";
        request.Given.Add(nameof(request.KeyId));
        request.Environment = "Sandbox";
        var connection = Build(request, Env("FINQLINK_CLIENT_ID", "acme", "FINQLINK_BASE_URI", "https://elsewhere.example/", "FINQLINK_KEY_ID", "variable-kid",
            "FINQLINK_PRIVATE_KEY", TestKeys.Pkcs8Pem(TestKeys.Rsa)));

        Assert.Equal("given-kid", connection.SigningKeyId);
        Assert.Equal(new Uri(ConnectionBuilder.SandboxBaseUri), connection.Options.Paths.BaseUri);
        Assert.Equal("PrivateKeyJwt", connection.Options.Authenticator.Method);
    }

    [Theory]
    [InlineData("FINQLINK_CLIENT_SECRET=x", "$env:FINQLINK_CLIENT_ID: not set.*")]
    [InlineData("FINQLINK_CLIENT_ID=demo", "No credential: give one as a parameter*$env:FINQLINK_CLIENT_SECRET*$env:FINQLINK_ACCESS_TOKEN, $env:FINQLINK_KEY_VAULT_KEY_ID.")]
    [InlineData("FINQLINK_CLIENT_ID=demo FINQLINK_KEY_VAULT_KEY_ID=https://kv.vault.azure.net/keys/k FINQLINK_CLIENT_SECRET=x",
        "Conflicting credentials: $env:FINQLINK_CLIENT_SECRET and $env:FINQLINK_KEY_VAULT_KEY_ID are both set; set only one.")]
    [InlineData("FINQLINK_CLIENT_ID=demo FINQLINK_BASE_URI=http://127.0.0.1:5000/ FINQLINK_KEY_VAULT_KEY_ID=https://kv.vault.azure.net/secrets/k",
        "$env:FINQLINK_KEY_VAULT_KEY_ID: 'https://kv.vault.azure.net/secrets/k' is not a Key Vault key identifier; give https://<vault>.vault.azure.net/keys/<name>[/<version>]*")]
    [InlineData("FINQLINK_CLIENT_ID=demo FINQLINK_BASE_URI=http://127.0.0.1:5000/ FINQLINK_KEY_VAULT_KEY_ID=http://kv.vault.azure.net/keys/k",
        "$env:FINQLINK_KEY_VAULT_KEY_ID: 'http://kv.vault.azure.net/keys/k' is not a Key Vault key identifier*")]
    [InlineData("FINQLINK_CLIENT_ID=demo FINQLINK_CLIENT_SECRET=x FINQLINK_PRIVATE_KEY_PATH=/k.pem",
        "Conflicting credentials: $env:FINQLINK_CLIENT_SECRET and $env:FINQLINK_PRIVATE_KEY_PATH are both set; set only one.")]
    [InlineData("FINQLINK_CLIENT_ID=demo FINQLINK_CLIENT_SECRET=x FINQLINK_ACCESS_TOKEN=t FINQLINK_PFX_PATH=/p.pfx",
        "Conflicting credentials: $env:FINQLINK_CLIENT_SECRET and $env:FINQLINK_PFX_PATH and $env:FINQLINK_ACCESS_TOKEN are all set; set only one.")]
    [InlineData("FINQLINK_CLIENT_ID=demo FINQLINK_CLIENT_SECRET=x", "BaseUri: required (or -Environment Sandbox*$env:FINQLINK_BASE_URI).")]
    [InlineData("FINQLINK_CLIENT_ID=demo FINQLINK_CLIENT_SECRET=x FINQLINK_ENVIRONMENT=Production", "$env:FINQLINK_ENVIRONMENT: 'Production' is not an environment*")]
    [InlineData("FINQLINK_CLIENT_ID=demo FINQLINK_CLIENT_SECRET=x FINQLINK_BASE_URI=http://h/ FINQLINK_USE_TEST_PATH=perhaps", "$env:FINQLINK_USE_TEST_PATH: 'perhaps' is not true or false.")]
    [InlineData("FINQLINK_CLIENT_ID=demo FINQLINK_CLIENT_SECRET=x FINQLINK_BASE_URI=ftp://h/", "BaseUri: 'ftp://h/' must be an absolute http or https URL.")]
    public void Says_what_is_missing_or_in_conflict(string variables, string message)
    {
        var environment = new Dictionary<string, string>();
        foreach (var pair in variables.Split(' ')) environment[pair.Split('=')[0]] = pair.Split('=')[1];
        var error = Assert.ThrowsAny<ArgumentException>(() => Build(FromEnvironment(), environment));
        Assert.Matches("^" + System.Text.RegularExpressions.Regex.Escape(message).Replace("\\*", ".*", StringComparison.Ordinal) + "$", error.Message);
    }

    [Fact]
    public void A_base_uri_and_an_environment_are_refused_together()
    {
        var request = new ConnectionRequest { Kind = CredentialKind.ClientSecret, ClientId = "demo", ClientSecret = Secret("x"), BaseUri = new Uri("https://h/"), Environment = "Sandbox" };
        Assert.Equal("BaseUri and Environment: give one, not both.", Assert.Throws<ArgumentException>(() => Build(request, Env())).Message);
    }

    [Fact]
    public void A_pfx_it_cannot_open_names_its_variable_and_never_its_password()
    {
        var pfx = Path.Combine(_folder, "key.pfx");
        using (var rsa = RSA.Create(2048))
        using (var certificate = new CertificateRequest("CN=test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(DateTimeOffset.Now, DateTimeOffset.Now.AddDays(1)))
            File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pfx, "right-password"));

        var error = Assert.Throws<InvalidCredentialException>(() => Build(FromEnvironment(), Env("FINQLINK_CLIENT_ID", "acme", "FINQLINK_BASE_URI", "https://h/",
            "FINQLINK_KEY_ID", "kid", "FINQLINK_PFX_PATH", pfx, "FINQLINK_PFX_PASSWORD", "wrong-password")));

        Assert.Equal("PfxPath", error.Parameter);
        Assert.StartsWith("$env:FINQLINK_PFX_PATH: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Saves_the_variable_a_secret_came_from_and_connects_again_from_the_profile()
    {
        var environment = Env("FINQLINK_CLIENT_ID", "demo", "FINQLINK_BASE_URI", "http://127.0.0.1:5000/", "FINQLINK_OAUTH_CLIENT_SECRET", "s3cret");
        var request = FromEnvironment();
        request.SaveProfile = "work";
        request.Proxy = new Uri("http://user:pass@proxy:8080/");
        var first = Build(request, environment);

        Assert.Equal((ProfileCredential.OAuthClientSecret, "FINQLINK_OAUTH_CLIENT_SECRET"), (first.ProfileToSave!.Credential, first.ProfileToSave.SecretVariable));
        Assert.Equal(new Uri("http://proxy:8080/"), first.Proxy);
        Assert.Equal(new Uri("http://proxy:8080/"), first.ProfileToSave.Proxy);
        Assert.Contains(_warnings, w => w.Contains("the proxy's user and password are not saved", StringComparison.Ordinal));
        new ConnectionProfileStore(Path.Combine(_folder, "profiles")).Write(first.ProfileToSave);

        var again = Build(new ConnectionRequest { Kind = CredentialKind.FromProfile, Profile = "work" }, environment);
        Assert.Equal(("demo", "OAuthClientSecret"), (again.Options.ClientId, again.Options.Authenticator.Method));

        var unset = Assert.Throws<ConnectionProfileException>(() => Build(new ConnectionRequest { Kind = CredentialKind.FromProfile, Profile = "work" }, Env()));
        Assert.Equal((ConnectionProfileError.Unavailable, "Profile 'work' reads the client secret from $env:FINQLINK_OAUTH_CLIENT_SECRET, which is not set."), (unset.Error, unset.Message));
    }

    [Fact]
    public void A_key_vault_key_is_saved_as_its_identifier_and_read_back()
    {
        var key = new Uri("https://acme-kv.vault.azure.net/keys/finqlink/0123");
        var store = new ConnectionProfileStore(Path.Combine(_folder, "profiles"));
        store.Write(new ConnectionProfile { Name = "kv", BaseUri = new Uri("https://h/"), ClientId = "acme", Credential = ProfileCredential.KeyVaultKey, KeyVaultKeyId = key, SigningAlgorithm = "ES256" });
        var read = store.Read("kv");
        Assert.Equal((ProfileCredential.KeyVaultKey, key, "ES256", (string?)null), (read.Credential, read.KeyVaultKeyId, read.SigningAlgorithm, read.SecretVariable));
        var missing = Assert.Throws<ConnectionProfileException>(() => ConnectionProfileStore.Validate(new ConnectionProfile { Name = "kv", Credential = ProfileCredential.KeyVaultKey }));
        Assert.Equal("Profile 'kv': a KeyVaultKey credential needs KeyVaultKeyId.", missing.Message);
    }

    [Fact]
    public void A_connection_with_a_script_or_a_typed_token_is_not_saved()
    {
        var request = new ConnectionRequest
        {
            Kind = CredentialKind.AccessTokenProvider, ClientId = "demo", BaseUri = new Uri("https://h/"), SaveProfile = "nope",
            AccessTokenProvider = _ => new AccessToken(Auth.Secret.FromString("t"), null),
        };
        var error = Assert.Throws<ConnectionProfileException>(() => Build(request, Env()));
        Assert.Equal("-SaveProfile nope: a connection with -AccessTokenProvider cannot be saved: a profile keeps no script and no token.", error.Message);
    }

    private static System.Security.SecureString Secret(string value) => new NetworkCredential("", value).SecurePassword;
}
