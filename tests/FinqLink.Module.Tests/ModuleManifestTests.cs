using System;
using System.Collections.Generic;
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
            .Where(f => f.EndsWith(".ps1", StringComparison.Ordinal) || f.EndsWith(".psm1", StringComparison.Ordinal) || f.EndsWith(".psd1", StringComparison.Ordinal))
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "out" or ".git"))
            .ToList();
        Assert.Contains(files, f => f.EndsWith("build.ps1", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith(".Tests.ps1", StringComparison.Ordinal));
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
    public void The_pester_suite_calls_every_exported_cmdlet()
    {
        var ast = Parser.ParseFile(Path.Combine(ModuleHost.RepoRoot, "FinqLink.psd1"), out _, out _);
        var exported = ((object[])((System.Collections.Hashtable)ast.Find(a => a is HashtableAst, false)!.SafeGetValue())["CmdletsToExport"]!).Cast<string>();
        var called = Directory.GetFiles(Path.Combine(ModuleHost.RepoRoot, "tests", "Pester"), "*.Tests.ps1")
            .SelectMany(file => Parser.ParseFile(file, out _, out _).FindAll(a => a is CommandAst, true).Cast<CommandAst>())
            .Select(c => c.GetCommandName()).Where(n => n != null).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.DoesNotContain(exported, cmdlet => !called.Contains(cmdlet));
    }

    [Fact]
    public void Every_FinqLink_type_the_pester_suite_names_resolves_in_a_session_with_the_module()
    {
        // Core's types load into the module's private context, where a [type] literal in a user's script cannot see them.
        var named = Directory.GetFiles(Path.Combine(ModuleHost.RepoRoot, "tests", "Pester"), "*.ps1")
            .SelectMany(file => Parser.ParseFile(file, out _, out _).FindAll(a => a is TypeExpressionAst or TypeConstraintAst, true))
            .Select(a => a is TypeExpressionAst e ? e.TypeName.FullName : ((TypeConstraintAst)a).TypeName.FullName)
            .Where(n => n.StartsWith("FinqLink", StringComparison.OrdinalIgnoreCase)).Distinct().ToList();
        Assert.NotEmpty(named);
        Assert.DoesNotContain(named, name => _ps.Invoke("$args[0] -as [type]", name).SingleOrDefault()?.BaseObject is null);
    }

    [Fact]
    public void The_module_folder_holds_what_the_package_needs_and_no_build_or_test_junk()
    {
        var folder = Path.GetDirectoryName(ModuleHost.ManifestPath)!;
        AssertShipsOnlyTheModule(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')).ToList());
    }

    /// <summary>The psd1, the DLLs, the format file and the help are there; nothing from builds or tests is.</summary>
    internal static void AssertShipsOnlyTheModule(IReadOnlyCollection<string> files)
    {
        foreach (var required in new[] { "FinqLink.psd1", "FinqLink.dll", "FinqLink.Format.ps1xml", "en-US/FinqLink.dll-Help.xml", "en-US/about_FinqLink.help.txt", "dependencies/FinqLink.Core.dll" })
            Assert.Contains(required, files);
        Assert.DoesNotContain(files, f => f.EndsWith(".pdb", StringComparison.Ordinal) || f.EndsWith(".deps.json", StringComparison.Ordinal) || f.Contains("Tests") || f.EndsWith("FinqLink.Sandbox.dll", StringComparison.Ordinal) || f.Contains("HelpCompiler")
            || f.Contains("Packager") || f.Contains("xunit") || f.EndsWith("System.Management.Automation.dll", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".md", StringComparison.Ordinal));
    }

    public void Dispose() => _ps.Dispose();
}
