using System.Collections.Generic;
using System.Linq;
using System.Text;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace FinqLink.HelpCompiler;

/// <summary>The plain text of Markdig blocks and inlines, as help text shows it (no markup, links as their text).</summary>
public static class MarkdownText
{
    public static string Of(HeadingBlock heading) => Of(heading.Inline).Trim();

    public static string Of(Inline? inline)
    {
        var text = new StringBuilder();
        Append(inline, text);
        return text.ToString();
    }

    public static string Code(LeafBlock code) =>
        string.Join("\n", code.Lines.Lines.Take(code.Lines.Count).Select(l => l.ToString())).TrimEnd();

    /// <summary>Each line of a paragraph as (text, link target): a line that is a link keeps its target, plain text has none.</summary>
    public static IEnumerable<(string Text, string Target)> LinkLines(ContainerInline? inline)
    {
        var line = new List<Inline>();
        foreach (var child in inline ?? Enumerable.Empty<Inline>())
        {
            if (child is LineBreakInline)
            {
                foreach (var entry in LinkLine(line)) yield return entry;
                line.Clear();
            }
            else line.Add(child);
        }
        foreach (var entry in LinkLine(line)) yield return entry;
    }

    private static IEnumerable<(string, string)> LinkLine(List<Inline> line)
    {
        var links = line.OfType<LinkInline>().Where(l => !l.IsImage).ToList();
        if (links.Count > 0)
        {
            foreach (var link in links) yield return (Of(link).Trim(), link.Url ?? "");
            yield break;
        }
        var text = string.Concat(line.Select(Of)).Trim();
        if (text.Length > 0) yield return (text, "");
    }

    private static void Append(Inline? inline, StringBuilder text)
    {
        switch (inline)
        {
            case null: return;
            case LiteralInline literal: text.Append(literal.Content.ToString()); break;
            case CodeInline code: text.Append(code.Content); break;
            case LineBreakInline: text.Append(' '); break;
            case HtmlEntityInline entity: text.Append(entity.Transcoded.ToString()); break;
            case AutolinkInline autolink: text.Append(autolink.Url); break;
            case ContainerInline container:
                foreach (var child in container) Append(child, text);
                break;
        }
    }
}
