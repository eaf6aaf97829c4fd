using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Markdig;
using Markdig.Syntax;

namespace FinqLink.HelpCompiler;

/// <summary>
/// Turns an about topic in platyPS's about-markdown (# about_X, ## SHORT DESCRIPTION, ## LONG DESCRIPTION, …) into the
/// plain-text about_X.help.txt that Get-Help shows, laid out as PowerShell's own: TOPIC, the name, SHORT DESCRIPTION and
/// its one line on line 5 (Get-Help takes line 5 as the synopsis), then the sections; headings at the margin (### ones
/// indented two), text indented four and word-wrapped to <see cref="Width"/>, code indented eight and never wrapped.
/// </summary>
public static class AboutTopicWriter
{
    public const int Width = 80;
    private const string TextIndent = "    ", CodeIndent = "        ", ItemIndent = "      ";

    public static void Write(string markdownPath, string helpTextPath) =>
        File.WriteAllText(helpTextPath, Render(File.ReadAllText(markdownPath), Path.GetFileName(markdownPath)), new UTF8Encoding(false));

    public static string Render(string markdown, string fileName)
    {
        var name = Path.GetFileNameWithoutExtension(fileName);
        var blocks = Markdown.Parse(markdown).ToList();
        if (blocks.FirstOrDefault() is not HeadingBlock { Level: 1 } title || MarkdownText.Of(title) != name)
            throw new HelpFormatException($"{fileName}: the first line must be the title '# {name}'");
        var shortHeading = blocks.FindIndex(b => b is HeadingBlock { Level: 2 } h && MarkdownText.Of(h).Equals("SHORT DESCRIPTION", StringComparison.OrdinalIgnoreCase));
        if (shortHeading != 1) throw new HelpFormatException($"{fileName}: '## SHORT DESCRIPTION' must follow the title");
        var synopsis = ShortDescription(blocks, shortHeading + 1, fileName);

        var lines = new List<string> { "TOPIC", TextIndent + name, "", "SHORT DESCRIPTION", TextIndent + synopsis };
        foreach (var block in blocks.Skip(shortHeading + 2)) Add(block, lines);
        while (lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        return string.Join("\n", lines) + "\n";
    }

    /// <summary>The synopsis: one paragraph that fits on one line, since Get-Help shows line 5 only.</summary>
    private static string ShortDescription(List<Block> blocks, int index, string fileName)
    {
        if (index >= blocks.Count || blocks[index] is not ParagraphBlock paragraph || index + 1 < blocks.Count && blocks[index + 1] is not HeadingBlock)
            throw new HelpFormatException($"{fileName}: SHORT DESCRIPTION must be one paragraph");
        var text = string.Join(" ", MarkdownText.Of(paragraph.Inline).Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (TextIndent.Length + text.Length > Width)
            throw new HelpFormatException($"{fileName}: SHORT DESCRIPTION is {text.Length} characters; Get-Help shows one line as the synopsis, so it must fit in {Width - TextIndent.Length}");
        return text;
    }

    private static void Add(Block block, List<string> lines)
    {
        switch (block)
        {
            case HeadingBlock heading:
                if (lines[^1].Length != 0) lines.Add("");
                lines.Add((heading.Level <= 2 ? "" : "  ") + MarkdownText.Of(heading).ToUpperInvariant());
                break;
            case ParagraphBlock paragraph:
                lines.AddRange(TextWrapper.Wrap(MarkdownText.Of(paragraph.Inline), TextIndent, TextIndent, Width));
                lines.Add("");
                break;
            case ListBlock list:
                var number = 1;
                foreach (var item in list.OfType<ListItemBlock>())
                {
                    var bullet = list.IsOrdered ? $"{number++}. " : "- ";
                    var text = string.Join(" ", item.OfType<ParagraphBlock>().Select(p => MarkdownText.Of(p.Inline)));
                    lines.AddRange(TextWrapper.Wrap(text, TextIndent + bullet, ItemIndent.PadRight(TextIndent.Length + bullet.Length), Width));
                }
                lines.Add("");
                break;
            case CodeBlock code:
                lines.AddRange(MarkdownText.Code(code).Split('\n').Select(l => l.Length == 0 ? "" : CodeIndent + l.TrimEnd()));
                lines.Add("");
                break;
            case QuoteBlock quote:
                foreach (var inner in quote) Add(inner, lines);
                break;
        }
    }
}
