using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using FinqLink.HelpCompiler;
using Xunit;

namespace FinqLink.Module.Tests;

/// <summary>
/// One engine with the module imported, shared by the help tests: they only read help, and a runspace per test (about
/// 100 of them) made this class the slowest of the project.
/// </summary>
public sealed class HelpHost : IDisposable
{
    public ModuleHost Engine { get; } = new();

    public void Dispose() => Engine.Dispose();
}

/// <summary>Get-Help works offline for every cmdlet, and docs/en-US says exactly what the cmdlets really take.</summary>
public sealed class HelpTests : IClassFixture<HelpHost>
{
    private static readonly HashSet<string> CommonParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable", "WarningVariable",
        "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable",
    };

    private readonly ModuleHost _ps;

    public HelpTests(HelpHost host) => _ps = host.Engine;

    public static IEnumerable<object[]> Cmdlets()
    {
        using var ps = new ModuleHost();
        return ps.Invoke("(Get-Command -Module FinqLink).Name").Select(n => new object[] { (string)n.BaseObject }).ToList();
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Get_Help_shows_synopsis_description_examples_and_every_parameter(string cmdlet)
    {
        var help = _ps.Invoke("Get-Help $args[0] -Full", cmdlet).Single();
        _ps.AssertNoErrors();
        var synopsis = help.Properties["Synopsis"].Value?.ToString() ?? "";
        Assert.False(string.IsNullOrWhiteSpace(synopsis));
        Assert.DoesNotContain("[<CommonParameters>]", synopsis);   // what Get-Help shows when a cmdlet has no help
        Assert.NotEmpty(Texts(help, "$args[0].description.Text"));
        Assert.True(Texts(help, "$args[0].examples.example").Count >= 2, "at least two examples");
        var parameters = _ps.Invoke("$args[0].parameters.parameter", help).Where(p => p != null);
        foreach (var parameter in parameters)
            Assert.True(Texts(parameter, "$args[0].description.Text").Any(t => t.Length > 10), $"-{parameter.Properties["name"].Value} has no description");
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void The_markdown_matches_the_cmdlets_parameters_and_sets(string cmdlet)
    {
        var docs = CommandHelpReader.Read(Path.Combine(ModuleHost.RepoRoot, "docs", "en-US", cmdlet + ".md"));
        var info = (CmdletInfo)_ps.Invoke("Get-Command $args[0]", cmdlet).Single().BaseObject;

        Assert.Equal(info.ParameterSets.Select(s => s.Name).OrderBy(n => n), docs.ParameterSets.Select(s => s.Name).OrderBy(n => n));
        if (info.ParameterSets.Count > 1) Assert.Equal(info.DefaultParameterSet, docs.ParameterSets.Single(s => s.IsDefault).Name);

        var real = info.Parameters.Values.Where(p => !CommonParameters.Contains(p.Name)).ToList();
        Assert.Equal(real.Select(p => p.Name).OrderBy(n => n), docs.Parameters.Select(p => p.Name).OrderBy(n => n));
        foreach (var parameter in real)
        {
            var documented = docs.Parameters.Single(p => p.Name == parameter.Name);
            Assert.All(documented.Metadata, m => Assert.Equal(TypeName(parameter.ParameterType), m.Type));
            Assert.All(documented.Metadata, m => Assert.Equal(parameter.Aliases.OrderBy(a => a), m.Aliases.OrderBy(a => a)));
            foreach (var (set, metadata) in parameter.ParameterSets)
            {
                var where = $"{cmdlet} -{parameter.Name} in {set}";
                var block = documented.Metadata.SingleOrDefault(m => set == "__AllParameterSets" ? m.Sets.Contains("(All)") : m.AppliesTo(set));
                Assert.True(block != null, where + ": not documented");
                Assert.True(metadata.IsMandatory == block!.Required, where + ": Required");
                Assert.True((metadata.Position < 0 ? "Named" : metadata.Position.ToString(CultureInfo.InvariantCulture)) == block.Position, where + ": Position");
                Assert.True(Pipeline(metadata) == block.PipelineInput, where + ": Accept pipeline input");
            }
        }
    }

    [Fact]
    public void About_topics_are_found_by_Get_Help()
    {
        var about = string.Join("\n", _ps.Invoke("Get-Help about_FinqLink").Select(o => o.ToString()));
        _ps.AssertNoErrors();
        Assert.Contains("SHORT DESCRIPTION", about);
        Assert.Contains("private_key_jwt", about);
        var sandbox = string.Join("\n", _ps.Invoke("Get-Help about_FinqLink_Sandbox").Select(o => o.ToString()));
        Assert.Contains("demo-secret", sandbox);
    }

    [Fact]
    public void About_topics_show_their_short_description_as_the_synopsis()
    {
        foreach (var topic in new[] { "about_FinqLink", "about_FinqLink_Sandbox" })
        {
            var markdown = File.ReadAllLines(Path.Combine(ModuleHost.RepoRoot, "docs", "en-US", topic + ".md"));
            var shortDescription = markdown[Array.IndexOf(markdown, "## SHORT DESCRIPTION") + 1];
            Assert.Equal(shortDescription, _ps.Invoke("(Get-Help $args[0]).Synopsis", topic).Single().ToString());
        }
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Get_Help_lists_the_related_links_with_the_online_page_first(string cmdlet)
    {
        var links = _ps.Invoke("(Get-Help $args[0]).relatedLinks.navigationLink", cmdlet);
        Assert.Equal($"https://github.com/finqlink-powershell/FinqLink/blob/main/docs/en-US/{cmdlet}.md", links[0].Properties["uri"].Value?.ToString());
        var documented = CommandHelpReader.Read(Path.Combine(ModuleHost.RepoRoot, "docs", "en-US", cmdlet + ".md")).RelatedLinks.Skip(1).Select(l => l.Text);
        Assert.Equal(documented, links.Skip(1).Select(l => l.Properties["linkText"].Value?.ToString()));
        Assert.NotEmpty(documented);
    }

    [Fact]
    public void The_manifest_sends_help_readers_to_the_projects_docs()
    {
        var module = _ps.Invoke("Test-ModuleManifest $args[0]", ModuleHost.ManifestPath).Single();
        Assert.Equal(module.Properties["ProjectUri"].Value + "/tree/main/docs/en-US", module.Properties["HelpInfoUri"].Value?.ToString());
    }

    private List<string> Texts(PSObject source, string expression) =>
        _ps.Invoke(expression, source).Select(o => o?.ToString() ?? "").Where(t => t.Trim().Length > 0).ToList();

    private static string Pipeline(ParameterSetMetadata metadata)
    {
        var ways = new List<string>();
        if (metadata.ValueFromPipelineByPropertyName) ways.Add("ByPropertyName");
        if (metadata.ValueFromPipeline) ways.Add("ByValue");
        return ways.Count == 0 ? "False" : $"True ({string.Join(", ", ways)})";
    }

    private static string TypeName(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsArray ? TypeName(type.GetElementType()!) + "[]" : type.Name;
    }
}
