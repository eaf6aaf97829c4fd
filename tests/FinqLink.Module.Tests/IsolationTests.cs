using System;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Xunit;

namespace FinqLink.Module.Tests;

/// <summary>
/// FinqLink must never be the module that breaks a session: its Microsoft.IdentityModel and System.Text.Json stay private,
/// whatever another module loaded before or after it.
/// </summary>
public sealed class IsolationTests : IClassFixture<SandboxFixture>
{
    private static readonly string OtherModuleTokens = Path.Combine(AppContext.BaseDirectory, "other-module", "Microsoft.IdentityModel.Tokens.dll");
    private readonly SandboxFixture _fixture;

    public IsolationTests(SandboxFixture fixture) => _fixture = fixture;

    private const string UseOtherModulesIdentityModel = """
        $asm = [System.Reflection.Assembly]::LoadFrom($args[0])
        $key = $asm.GetType('Microsoft.IdentityModel.Tokens.JsonWebKey')::new('{"kty":"RSA","kid":"other","n":"AQAB","e":"AQAB"}')
        "$($asm.GetName().Version)|$($key.Kid)"
        """;

    [Fact]
    public void FinqLink_works_after_another_module_loaded_an_older_IdentityModel()
    {
        using var keys = RegisteredKeys();
        using var ps = new ModuleHost(importModule: false);
        Assert.Equal("7.5.0.0|other", (string)ps.Invoke(UseOtherModulesIdentityModel, OtherModuleTokens).Single().BaseObject);
        ps.Invoke("Import-Module $args[0] -ErrorAction Stop", ModuleHost.ManifestPath);
        ConnectWithPrivateKeyJwtAndCreate(ps, keys);
    }

    [Fact]
    public void Another_module_loading_an_older_IdentityModel_after_FinqLink_breaks_neither()
    {
        using var keys = RegisteredKeys();
        using var ps = new ModuleHost();
        ConnectWithPrivateKeyJwtAndCreate(ps, keys);
        Assert.Equal("7.5.0.0|other", (string)ps.Invoke(UseOtherModulesIdentityModel, OtherModuleTokens).Single().BaseObject);
        ps.AssertNoErrors();
        ps.Invoke("Disconnect-FinqLink");
        ConnectWithPrivateKeyJwtAndCreate(ps, keys);
    }

    [Fact]
    public void FinqLink_dll_references_only_the_base_library_PowerShell_and_FinqLink_Core()
    {
        var dll = Path.Combine(Path.GetDirectoryName(ModuleHost.ManifestPath)!, "FinqLink.dll");
        using var reader = new PEReader(File.OpenRead(dll));
        var metadata = reader.GetMetadataReader();
        var references = metadata.AssemblyReferences.Select(r => metadata.GetString(metadata.GetAssemblyReference(r).Name)).OrderBy(n => n).ToList();
        var allowed = new[] { "netstandard", "System.Management.Automation", "FinqLink.Core", "System.Runtime", "System.Runtime.Loader", "System.Reflection", "System.IO", "mscorlib" };
        Assert.Contains("FinqLink.Core", references);
        Assert.All(references, r => Assert.Contains(r, allowed));
    }

    [Fact]
    public void The_module_folder_keeps_dependencies_out_of_the_runtimes_probing_path()
    {
        var folder = Path.GetDirectoryName(ModuleHost.ManifestPath)!;
        var rootDlls = Directory.GetFiles(folder, "*.dll").Select(Path.GetFileName).ToList();
        Assert.Equal(new[] { "FinqLink.dll" }, rootDlls);
        var dependencies = Directory.GetFiles(Path.Combine(folder, "dependencies"), "*.dll").Select(Path.GetFileName).ToList();
        Assert.Contains("FinqLink.Core.dll", dependencies);
        Assert.Contains("Microsoft.IdentityModel.Tokens.dll", dependencies);
        Assert.DoesNotContain("System.Management.Automation.dll", dependencies);
        Assert.DoesNotContain("System.Drawing.Common.dll", dependencies);
    }

    private KeyFiles RegisteredKeys()
    {
        var keys = new KeyFiles("isolation-" + Guid.NewGuid().ToString("N")[..8]);
        _fixture.Sandbox.Control.Clients.Register(keys.Registration());
        return keys;
    }

    private void ConnectWithPrivateKeyJwtAndCreate(ModuleHost ps, KeyFiles keys)
    {
        ps.Invoke("Connect-FinqLink -BaseUri $args[0] -ClientId $args[1] -TokenEndpoint $args[2] -PrivateKeyPath $args[3] -KeyId $args[4]",
            _fixture.Sandbox.BaseUrl, keys.ClientId, _fixture.Sandbox.TokenEndpointUrl, keys.PemPath, keys.Kid);
        ps.AssertNoErrors();
        var link = ps.Invoke("New-FinqLink -Amount 5 -Currency RON").Single();
        ps.AssertNoErrors();
        Assert.Equal("created", link.Properties["Status"].Value);
    }
}
