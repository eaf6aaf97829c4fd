using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using Xunit;

namespace FinqLink.Module.Tests;

/// <summary>The checks build.ps1 and Pester would make, done with the hosted 7.6 engine so CI needs no pwsh.</summary>
public sealed class ModuleManifestTests : IDisposable
{
    private readonly ModuleHost _ps = new();

    [Fact]
    public void Every_PowerShell_file_in_the_repository_parses_without_errors()
    {
        var files = Directory.EnumerateFiles(ModuleHost.RepoRoot, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".ps1") || f.EndsWith(".psm1") || f.EndsWith(".psd1"))
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "out" or ".git"))
            .ToList();
        Assert.Contains(files, f => f.EndsWith("build.ps1"));
        Assert.Contains(files, f => f.EndsWith(".Tests.ps1"));
        foreach (var file in files)
        {
            Parser.ParseFile(file, out _, out var errors);
            Assert.True(errors.Length == 0, $"{file}: {string.Join("; ", errors.Select(e => $"line {e.Extent.StartLineNumber}: {e.Message}"))}");
        }
    }

    [Fact]
    public void The_built_manifest_passes_Test_ModuleManifest()
    {
        var manifest = _ps.Invoke("Test-ModuleManifest -Path $args[0] -ErrorAction Stop", ModuleHost.ManifestPath).Single();
        _ps.AssertNoErrors();
        Assert.Equal(new Version(ModuleHost.ModuleVersion), manifest.Properties["Version"].Value);
        Assert.Equal(new[] { "Desktop", "Core" }, ((System.Collections.IEnumerable)manifest.Properties["CompatiblePSEditions"].Value).Cast<object>().Select(o => o.ToString()));
        Assert.NotNull(manifest.Properties["ProjectUri"].Value);
    }

    [Fact]
    public void CmdletsToExport_equals_the_cmdlets_the_assembly_defines()
    {
        var ast = Parser.ParseFile(Path.Combine(ModuleHost.RepoRoot, "FinqLink.psd1"), out _, out _);
        var data = (System.Collections.Hashtable)ast.Find(a => a is HashtableAst, false)!.SafeGetValue();
        var declared = ((object[])data["CmdletsToExport"]!).Cast<string>().OrderBy(n => n).ToList();
        var defined = _ps.Invoke("""
            [FinqLink.PowerShell.Cmdlets.NewFinqLinkCommand].Assembly.GetExportedTypes() | ForEach-Object {
                $a = $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)
                if ($a) { "$($a[0].VerbName)-$($a[0].NounName)" }
            }
            """).Select(o => (string)o.BaseObject).OrderBy(n => n).ToList();
        Assert.Equal(defined, declared);
        Assert.Equal(defined, _ps.Invoke("(Get-Command -Module FinqLink).Name").Select(o => (string)o.BaseObject).OrderBy(n => n));
    }

    [Fact]
    public void The_module_folder_holds_what_the_package_needs_and_no_build_or_test_junk()
    {
        var folder = Path.GetDirectoryName(ModuleHost.ManifestPath)!;
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')).ToList();
        foreach (var required in new[] { "FinqLink.psd1", "FinqLink.dll", "FinqLink.Format.ps1xml", "en-US/FinqLink.dll-Help.xml", "en-US/about_FinqLink.help.txt", "dependencies/FinqLink.Core.dll" })
            Assert.Contains(required, files);
        Assert.DoesNotContain(files, f => f.EndsWith(".pdb") || f.EndsWith(".deps.json") || f.Contains("Tests") || f.EndsWith("FinqLink.Sandbox.dll") || f.Contains("HelpCompiler") || f.Contains("xunit")
            || f.EndsWith("System.Management.Automation.dll"));
    }

    public void Dispose() => _ps.Dispose();
}
