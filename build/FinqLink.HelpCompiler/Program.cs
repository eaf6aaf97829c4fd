using System;
using System.IO;
using System.Linq;
using FinqLink.HelpCompiler;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: FinqLink.HelpCompiler <docs/en-US folder> <module en-US output folder>");
    return 2;
}
var (source, target) = (args[0], args[1]);
try
{
    Directory.CreateDirectory(target);
    var commands = Directory.GetFiles(source, "*.md").Where(f => !Path.GetFileName(f).StartsWith("about_", StringComparison.OrdinalIgnoreCase))
        .OrderBy(f => f, StringComparer.Ordinal).Select(f => CommandHelpReader.Read(f)).ToList();
    var modules = commands.GroupBy(c => c.HelpFile);
    foreach (var module in modules) MamlWriter.Write(module.ToList(), Path.Combine(target, module.Key));
    foreach (var about in Directory.GetFiles(source, "about_*.md"))
        AboutTopicWriter.Write(about, Path.Combine(target, Path.GetFileNameWithoutExtension(about) + ".help.txt"));
    Console.WriteLine($"Help: {commands.Count} cmdlets and {Directory.GetFiles(source, "about_*.md").Length} about topics compiled to {target}");
    return 0;
}
catch (HelpFormatException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
