using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;
using FinqLink.Packager;
using FinqLink.Sandbox.Auth;
using Xunit;

namespace FinqLink.Module.Tests;

/// <summary>
/// The .nupkg that build.ps1 -Task Package makes (with build/FinqLink.Packager): its contents, its nuspec, and an
/// install done the way Install-PSResource does it (package files into Modules/FinqLink/&lt;version&gt;, NuGet's own parts left out).
/// </summary>
public sealed class PackageTests : IClassFixture<SandboxFixture>, IDisposable
{
    private static readonly string[] NuGetParts = { "[Content_Types].xml", "_rels/", "package/", "FinqLink.nuspec" };
    private readonly SandboxFixture _fixture;
    private readonly string _directory = Directory.CreateTempSubdirectory("finqlink-package-").FullName;
    private readonly string _package;

    public PackageTests(SandboxFixture fixture)
    {
        _fixture = fixture;
        _package = ModulePackage.Create(Path.GetDirectoryName(ModuleHost.ManifestPath)!, Path.Combine(_directory, "repository"));
    }

    [Fact]
    public void The_package_holds_the_module_and_nothing_from_builds_or_tests()
    {
        Assert.Equal($"FinqLink.{ModuleHost.ModuleVersion}.nupkg", Path.GetFileName(_package));
        using var zip = ZipFile.OpenRead(_package);
        var entries = zip.Entries.Select(e => e.FullName).ToList();
        Assert.All(NuGetParts, part => Assert.Contains(entries, e => e.StartsWith(part, StringComparison.Ordinal)));
        ModuleManifestTests.AssertShipsOnlyTheModule(entries.Where(e => !NuGetParts.Any(p => e.StartsWith(p, StringComparison.Ordinal))).ToList());
    }

    [Fact]
    public void The_nuspec_carries_the_manifests_metadata_and_the_tags_the_gallery_searches_by()
    {
        using var zip = ZipFile.OpenRead(_package);
        using var nuspec = zip.GetEntry("FinqLink.nuspec")!.Open();
        var metadata = XDocument.Load(nuspec).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Field(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;
        var manifest = ModuleManifest.Read(ModuleHost.ManifestPath);

        Assert.Equal("FinqLink", Field("id"));
        Assert.Equal(ModuleHost.ModuleVersion, Field("version"));
        Assert.Equal(manifest.Description, Field("description"));
        Assert.Equal(manifest.ProjectUri, Field("projectUrl"));
        var tags = Field("tags").Split(' ');
        Assert.Contains("PSModule", tags);
        Assert.Contains("PSIncludes_Cmdlet", tags);
        Assert.Contains("PSEdition_Core", tags);
        Assert.Contains("PSEdition_Desktop", tags);
        Assert.NotEmpty(manifest.CmdletsToExport);
        Assert.All(manifest.CmdletsToExport, c => Assert.Contains("PSCmdlet_" + c, tags));
        Assert.All(manifest.CmdletsToExport, c => Assert.Contains("PSCommand_" + c, tags));
        Assert.Equal(tags.Length, tags.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void Installed_from_the_package_the_module_is_found_by_name_validates_and_works()
    {
        var modules = Path.Combine(_directory, "Modules");
        var target = Path.Combine(modules, "FinqLink", ModuleHost.ModuleVersion);
        using (var zip = ZipFile.OpenRead(_package))
            foreach (var entry in zip.Entries.Where(e => !NuGetParts.Any(p => e.FullName.StartsWith(p, StringComparison.Ordinal))))
            {
                var path = Path.Combine(target, entry.FullName);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                entry.ExtractToFile(path);
            }

        // A fresh runspace that finds FinqLink only through PSModulePath, as after Install-PSResource.
        // (FinqLink.dll may already be loaded in this test process from out/; the manifest, folder and help come from the package.)
        using var ps = new ModuleHost(importModule: false);
        ps.Invoke("$env:PSModulePath = $args[0] + [IO.Path]::PathSeparator + $env:PSModulePath", modules);
        var found = ps.Invoke("Get-Module -ListAvailable FinqLink | ForEach-Object { $_.ModuleBase }");
        Assert.Contains(target, found.Select(o => (string)o.BaseObject));
        ps.Invoke("Test-ModuleManifest $args[0] | Out-Null; Import-Module FinqLink -ErrorAction Stop", Path.Combine(target, "FinqLink.psd1"));
        ps.AssertNoErrors();
        Assert.Equal(target, ps.Invoke("(Get-Module FinqLink).ModuleBase").Single().BaseObject);
        Assert.Equal(ModuleManifest.Read(ModuleHost.ManifestPath).CmdletsToExport.Length, ps.Invoke("(Get-Command -Module FinqLink).Count").Single().BaseObject);
        Assert.Contains("payment link", (string)ps.Invoke("(Get-Help New-FinqLink).Synopsis").Single().BaseObject, StringComparison.OrdinalIgnoreCase);

        ps.Invoke("Connect-FinqLink -BaseUri $args[0] -ClientId demo -ClientSecret $args[1]; Get-FinqProvider -ProviderId bt_ro",
            _fixture.Sandbox.BaseUrl, PayCmdletTests.Secure(ClientRegistry.DemoClientSecret));
        ps.AssertNoErrors();
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
