using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace FinqLink.HelpCompiler;

/// <summary>Reads one cmdlet's markdown in the platyPS schema (2.0.0) with Markdig.</summary>
public static class CommandHelpReader
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseYamlFrontMatter().Build();

    public static CommandHelp Read(string path)
    {
        var file = Path.GetFileName(path);
        var document = Markdown.Parse(File.ReadAllText(path), Pipeline);
        var frontMatter = document.Descendants<YamlFrontMatterBlock>().FirstOrDefault()
            ?? throw new HelpFormatException($"{file}: no YAML header (platyPS needs 'external help file' and 'schema: 2.0.0')");
        var header = frontMatter.Lines.Lines.Take(frontMatter.Lines.Count).Select(l => l.ToString())
            .Where(l => l.Contains(':')).ToDictionary(l => l[..l.IndexOf(':')].Trim(), l => l[(l.IndexOf(':') + 1)..].Trim());
        if (!header.TryGetValue("schema", out var schema) || schema != "2.0.0") throw new HelpFormatException($"{file}: the header must say 'schema: 2.0.0'");
        if (!header.TryGetValue("external help file", out var helpFile) || helpFile.Length == 0)
            throw new HelpFormatException($"{file}: the header must name the 'external help file'");

        var title = document.OfType<HeadingBlock>().FirstOrDefault(h => h.Level == 1) ?? throw new HelpFormatException($"{file}: no '# <cmdlet>' title");
        var help = new CommandHelp { Name = Text(title), HelpFile = helpFile };
        if (help.Name + ".md" != file) throw new HelpFormatException($"{file}: the title '{help.Name}' does not match the file name");
        // platyPS makes the online version the first related link, which is where Get-Help -Online looks.
        if (header.TryGetValue("online version", out var online) && online.Length > 0)
        {
            if (!IsWebAddress(online)) throw new HelpFormatException($"{file}: 'online version' must be an http(s) URL, not '{online}'");
            help.RelatedLinks.Add(("Online Version:", online));
        }

        string? section = null;
        object? current = null;
        foreach (var block in document)
        {
            if (block is YamlFrontMatterBlock || block == title) continue;
            if (block is HeadingBlock { Level: 2 } h2)
            {
                section = Text(h2).ToUpperInvariant();
                current = null;
                continue;
            }
            if (block is HeadingBlock { Level: 3 } h3)
            {
                current = Open(help, section, Text(h3), file);
                continue;
            }
            Add(help, section, current, block, file);
        }
        Validate(help, file);
        return help;
    }

    private static object? Open(CommandHelp help, string? section, string heading, string file)
    {
        switch (section)
        {
            case "SYNTAX":
                var isDefault = heading.EndsWith("(Default)", StringComparison.Ordinal);
                var name = isDefault ? heading[..^"(Default)".Length].Trim() : heading;
                help.ParameterSets.Add((name, isDefault));
                return null;
            case "EXAMPLES":
                var example = new Example { Title = heading };
                help.Examples.Add(example);
                return example;
            case "PARAMETERS":
                if (heading == "CommonParameters") return null;
                if (!heading.StartsWith('-')) throw new HelpFormatException($"{file}: parameter heading '{heading}' must start with '-'");
                var parameter = new ParameterHelp { Name = heading[1..] };
                help.Parameters.Add(parameter);
                return parameter;
            case "INPUTS":
                var input = new TypeHelp { TypeName = heading };
                help.Inputs.Add(input);
                return input;
            case "OUTPUTS":
                var output = new TypeHelp { TypeName = heading };
                help.Outputs.Add(output);
                return output;
            default:
                throw new HelpFormatException($"{file}: unexpected '### {heading}' in section {section ?? "(none)"}");
        }
    }

    private static void Add(CommandHelp help, string? section, object? current, Block block, string file)
    {
        switch (section, current)
        {
            case ("SYNOPSIS", _): help.Synopsis.AddRange(Paragraphs(block)); break;
            case ("DESCRIPTION", _): help.Description.AddRange(Paragraphs(block)); break;
            case ("NOTES", _): help.Notes.AddRange(Paragraphs(block)); break;
            case ("SYNTAX", _): break;
            case ("EXAMPLES", Example example):
                if (block is FencedCodeBlock code) example.Code.Add(CodeText(code));
                else example.Remarks.AddRange(Paragraphs(block));
                break;
            case ("PARAMETERS", ParameterHelp parameter):
                if (block is FencedCodeBlock { Info: "yaml" } yaml) parameter.Metadata.Add(ParameterMetadata.Parse(CodeText(yaml), $"{file} -{parameter.Name}"));
                else parameter.Description.AddRange(Paragraphs(block));
                break;
            case ("PARAMETERS", null): break;
            case ("INPUTS" or "OUTPUTS", TypeHelp type): type.Description.AddRange(Paragraphs(block)); break;
            case ("RELATED LINKS", _):
                AddRelatedLinks(help, block);
                break;
            default:
                throw new HelpFormatException($"{file}: content outside a known section ({section ?? "before SYNOPSIS"})");
        }
    }

    /// <summary>One link per line or list item: a web address keeps its URI; a topic or a local .md file is named by its text.</summary>
    private static void AddRelatedLinks(CommandHelp help, Block block)
    {
        switch (block)
        {
            case ParagraphBlock paragraph:
                foreach (var (text, target) in MarkdownText.LinkLines(paragraph.Inline))
                    help.RelatedLinks.Add((text, IsWebAddress(target) ? target : ""));
                break;
            case ListBlock list:
                foreach (var inner in list.OfType<ListItemBlock>().SelectMany(item => item)) AddRelatedLinks(help, inner);
                break;
        }
    }

    public static bool IsWebAddress(string target) =>
        Uri.TryCreate(target, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    private static void Validate(CommandHelp help, string file)
    {
        if (help.Synopsis.Count == 0) throw new HelpFormatException($"{file}: SYNOPSIS is empty");
        if (help.ParameterSets.Count == 0) throw new HelpFormatException($"{file}: SYNTAX names no parameter set");
        foreach (var p in help.Parameters.Where(p => p.Metadata.Count == 0))
            throw new HelpFormatException($"{file}: -{p.Name} has no yaml block");
    }

    private static IEnumerable<string> Paragraphs(Block block)
    {
        switch (block)
        {
            case ParagraphBlock paragraph:
                yield return InlineText(paragraph.Inline);
                break;
            case FencedCodeBlock code:
                yield return CodeText(code);
                break;
            case ListBlock list:
                foreach (var item in list.OfType<ListItemBlock>())
                    yield return "- " + string.Join(" ", item.SelectMany(Paragraphs));
                break;
            case QuoteBlock quote:
                foreach (var inner in quote) foreach (var text in Paragraphs(inner)) yield return text;
                break;
        }
    }

    private static string Text(HeadingBlock heading) => MarkdownText.Of(heading);

    private static string CodeText(FencedCodeBlock code) => MarkdownText.Code(code);

    private static string InlineText(Inline? inline) => MarkdownText.Of(inline);
}
