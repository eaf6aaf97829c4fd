using System;
using System.Collections.Generic;
using System.Text;

namespace FinqLink.HelpCompiler;

/// <summary>Word-wraps help text to a width; a word longer than a line (a URL) gets a line of its own, unbroken.</summary>
public static class TextWrapper
{
    public static IEnumerable<string> Wrap(string text, string firstIndent, string restIndent, int width)
    {
        var line = new StringBuilder(firstIndent);
        var empty = true;
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!empty && line.Length + 1 + word.Length > width)
            {
                yield return line.ToString();
                line.Clear().Append(restIndent);
                empty = true;
            }
            if (!empty) line.Append(' ');
            line.Append(word);
            empty = false;
        }
        if (!empty) yield return line.ToString();
    }
}
