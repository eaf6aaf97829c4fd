using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace FinqLink.HelpCompiler;

/// <summary>
/// Turns an about topic in platyPS's about-markdown (# about_X, ## SHORT DESCRIPTION, ## LONG DESCRIPTION, …) into the
/// plain-text about_X.help.txt that Get-Help shows: headings upper-case at the margin, text indented four spaces.
/// </summary>
public static partial class AboutTopicWriter
{
    public static void Write(string markdownPath, string helpTextPath)
    {
        var lines = File.ReadAllLines(markdownPath);
        var name = Path.GetFileNameWithoutExtension(markdownPath);
        if (!lines.Any(l => l.Trim() == "# " + name)) throw new HelpFormatException($"{Path.GetFileName(markdownPath)}: the title must be '# {name}'");
        if (!lines.Any(l => l.Trim().Equals("## SHORT DESCRIPTION", StringComparison.OrdinalIgnoreCase)))
            throw new HelpFormatException($"{Path.GetFileName(markdownPath)}: an about topic needs a '## SHORT DESCRIPTION' section");

        var text = new StringBuilder();
        var inCode = false;
        foreach (var raw in lines)
        {
            var line = raw.TrimEnd();
            if (line.StartsWith("```", StringComparison.Ordinal)) { inCode = !inCode; continue; }
            if (inCode) { text.AppendLine("        " + line); continue; }
            if (line.StartsWith("# ", StringComparison.Ordinal)) { text.AppendLine("TOPIC").AppendLine("    " + line[2..].Trim()).AppendLine(); continue; }
            if (line.StartsWith("## ", StringComparison.Ordinal)) { text.AppendLine(line[3..].Trim().ToUpperInvariant()); continue; }
            if (line.StartsWith("### ", StringComparison.Ordinal)) { text.AppendLine("  " + line[4..].Trim().ToUpperInvariant()); continue; }
            text.AppendLine(line.Length == 0 ? "" : "    " + Plain(line));
        }
        File.WriteAllText(helpTextPath, text.ToString(), new UTF8Encoding(false));
    }

    private static string Plain(string line) => Link().Replace(line.Replace("`", "").Replace("**", ""), "$1");

    [GeneratedRegex(@"\[([^\]]+)\]\([^)]+\)")]
    private static partial Regex Link();
}
