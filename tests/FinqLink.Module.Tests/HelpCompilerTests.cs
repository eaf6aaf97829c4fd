using System;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using FinqLink.HelpCompiler;
using Xunit;

namespace FinqLink.Module.Tests;

/// <summary>The help compiler lays out about topics as Get-Help reads them and keeps every related link.</summary>
public sealed class HelpCompilerTests : IDisposable
{
    private const string LongCode = "Connect-FinqLink -BaseUri http://127.0.0.1:5080 -ClientId demo -ClientSecret (Read-Host -AsSecureString) -SkipVerification";

    private readonly string _folder = Directory.CreateTempSubdirectory("finqlink-help-").FullName;

    [Fact]
    public void An_about_topic_has_its_synopsis_on_line_5_and_text_wrapped_at_80_but_not_code()
    {
        var paragraph = string.Join(" ", Enumerable.Repeat("A sentence long enough to need wrapping in any terminal.", 8));
        var text = AboutTopicWriter.Render($"""
            # about_Sample

            ## SHORT DESCRIPTION
            What the sample topic is about.

            ## LONG DESCRIPTION
            {paragraph}

            ### A subsection
            - {paragraph}

            ```powershell
            {LongCode}
            ```
            """, "about_Sample.md");

        var lines = text.Split('\n');
        Assert.Equal(new[] { "TOPIC", "    about_Sample", "", "SHORT DESCRIPTION", "    What the sample topic is about." }, lines.Take(5));
        Assert.Contains("LONG DESCRIPTION", lines);
        Assert.Contains("  A SUBSECTION", lines);
        Assert.Contains("        " + LongCode, lines);
        Assert.All(lines.Where(l => !l.Contains(LongCode)), l => Assert.True(l.Length <= AboutTopicWriter.Width, $"{l.Length} columns: {l}"));
        Assert.Contains(lines, l => l.StartsWith("    - A sentence", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("      ", StringComparison.Ordinal) && !l.StartsWith("        ", StringComparison.Ordinal));
        Assert.Equal(paragraph, string.Join(" ", lines.SkipWhile(l => l != "LONG DESCRIPTION").Skip(1).TakeWhile(l => l.Length > 0).Select(l => l.Trim())));
    }

    [Fact]
    public void A_short_description_that_needs_two_lines_is_refused()
    {
        var e = Assert.Throws<HelpFormatException>(() => AboutTopicWriter.Render($"""
            # about_Sample

            ## SHORT DESCRIPTION
            {new string('x', 77)}

            ## LONG DESCRIPTION
            Text.
            """, "about_Sample.md"));
        Assert.Contains("SHORT DESCRIPTION", e.Message);
    }

    [Fact]
    public void Related_links_keep_web_addresses_and_name_local_pages_and_the_online_version_comes_first()
    {
        var path = Path.Combine(_folder, "Get-Sample.md");
        File.WriteAllText(path, """
            ---
            external help file: Sample.dll-Help.xml
            Module Name: Sample
            online version: https://example.org/docs/Get-Sample.md
            schema: 2.0.0
            ---

            # Get-Sample

            ## SYNOPSIS
            Gets samples.

            ## SYNTAX

            ### Default
            ```
            Get-Sample [<CommonParameters>]
            ```

            ## DESCRIPTION
            Gets samples.

            ## RELATED LINKS

            [New-Sample](New-Sample.md)

            [The API reference](https://example.org/api)

            about_Sample
            """);

        var help = CommandHelpReader.Read(path);
        Assert.Equal(new[]
        {
            ("Online Version:", "https://example.org/docs/Get-Sample.md"), ("New-Sample", ""), ("The API reference", "https://example.org/api"), ("about_Sample", ""),
        }, help.RelatedLinks);

        var maml = Path.Combine(_folder, "Sample.dll-Help.xml");
        MamlWriter.Write(new[] { help }, maml);
        XNamespace m = "http://schemas.microsoft.com/maml/2004/10";
        var links = XDocument.Load(maml).Descendants(m + "navigationLink").Select(l => ((string?)l.Element(m + "linkText"), (string?)l.Element(m + "uri"))).ToList();
        Assert.Equal(help.RelatedLinks.Select(l => ((string?)l.Text, (string?)l.Uri)), links);
    }

    [Fact]
    public void An_online_version_that_is_not_a_web_address_is_refused()
    {
        var path = Path.Combine(_folder, "Get-Sample.md");
        File.WriteAllText(path, "---\nexternal help file: Sample.dll-Help.xml\nonline version: docs/Get-Sample.md\nschema: 2.0.0\n---\n\n# Get-Sample\n");
        Assert.Contains("online version", Assert.Throws<HelpFormatException>(() => CommandHelpReader.Read(path)).Message);
    }

    [Theory]
    [InlineData("Example 1: Links paid today")]
    [InlineData("Example 2: Refresh links from an earlier export of a long list")]
    public void Example_titles_fit_the_columns_Get_Help_leaves_at_80(string title)
    {
        var line = MamlWriter.ExampleTitle(title);
        Assert.True(line.Length <= 74, line);
        Assert.Contains(" " + title + " ", line);
        Assert.StartsWith("--", line);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
