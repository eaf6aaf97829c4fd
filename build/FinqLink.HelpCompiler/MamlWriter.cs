using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;

namespace FinqLink.HelpCompiler;

/// <summary>Writes the MAML that Get-Help reads from &lt;module&gt;/en-US/&lt;assembly&gt;-Help.xml, shaped as platyPS's New-ExternalHelp writes it.</summary>
public static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
    private static readonly XNamespace MSHelp = "http://msdn.microsoft.com/mshelp";

    public static void Write(IReadOnlyList<CommandHelp> commands, string path)
    {
        var root = new XElement(Msh + "helpItems", new XAttribute("schema", "maml"), commands.Select(CommandElement));
        new XDocument(new XDeclaration("1.0", "utf-8", null), root).Save(path);
    }

    private static XElement CommandElement(CommandHelp help)
    {
        var verb = help.Name[..help.Name.IndexOf('-')];
        var noun = help.Name[(help.Name.IndexOf('-') + 1)..];
        return new XElement(Command + "command",
            new XAttribute(XNamespace.Xmlns + "maml", Maml), new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev), new XAttribute(XNamespace.Xmlns + "MSHelp", MSHelp),
            new XElement(Command + "details",
                new XElement(Command + "name", help.Name),
                new XElement(Command + "verb", verb),
                new XElement(Command + "noun", noun),
                Description(help.Synopsis)),
            Description(help.Description),
            new XElement(Command + "syntax", help.ParameterSets.Select(set => new XElement(Command + "syntaxItem",
                new XElement(Maml + "name", help.Name),
                help.Parameters.Where(p => p.Metadata.Any(m => m.AppliesTo(set.Name)))
                    .OrderBy(p => Position(p.Metadata.First(m => m.AppliesTo(set.Name))))
                    .Select(p => Parameter(p, p.Metadata.First(m => m.AppliesTo(set.Name))))))),
            new XElement(Command + "parameters", help.Parameters.Select(p => Parameter(p, p.Metadata[0]))),
            new XElement(Command + "inputTypes", help.Inputs.Select(t => new XElement(Command + "inputType", TypeElement(t.TypeName), Description(t.Description)))),
            new XElement(Command + "returnValues", help.Outputs.Select(t => new XElement(Command + "returnValue", TypeElement(t.TypeName), Description(t.Description)))),
            help.Notes.Count == 0 ? null : new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paras(help.Notes))),
            new XElement(Command + "examples", help.Examples.Select(e => new XElement(Command + "example",
                new XElement(Maml + "title", ExampleTitle(e.Title)),
                new XElement(Dev + "code", string.Join("\n\n", e.Code)),
                new XElement(Dev + "remarks", Paras(e.Remarks))))),
            new XElement(Command + "relatedLinks", help.RelatedLinks.Select(l => new XElement(Maml + "navigationLink",
                new XElement(Maml + "linkText", l.Text),
                new XElement(Maml + "uri", l.Uri)))));
    }

    /// <summary>The title between dashes, as PowerShell's own help has it, within the 76 columns Get-Help leaves at 80 (it may indent a title by one more).</summary>
    public static string ExampleTitle(string title)
    {
        const int width = 74;
        var dashes = Math.Max(2, (width - title.Length - 2) / 2);
        return $"{new string('-', dashes)} {title} {new string('-', dashes)}";
    }

    private static XElement Parameter(ParameterHelp parameter, ParameterMetadata metadata)
    {
        var isSwitch = metadata.Type == "SwitchParameter";
        var element = new XElement(Command + "parameter",
            new XAttribute("required", metadata.Required ? "true" : "false"),
            new XAttribute("variableLength", "true"),
            new XAttribute("globbing", metadata.Wildcards ? "true" : "false"),
            new XAttribute("pipelineInput", metadata.PipelineInput),
            new XAttribute("position", metadata.Position == "Named" ? "named" : metadata.Position),
            new XAttribute("aliases", metadata.Aliases.Count == 0 ? "none" : string.Join(", ", metadata.Aliases)),
            new XElement(Maml + "name", parameter.Name),
            Description(parameter.Description));
        if (metadata.AcceptedValues.Count > 0)
            element.Add(new XElement(Command + "parameterValueGroup", metadata.AcceptedValues.Select(v =>
                new XElement(Command + "parameterValue", new XAttribute("required", "false"), new XAttribute("variableLength", "false"), v))));
        if (!isSwitch)
            element.Add(new XElement(Command + "parameterValue", new XAttribute("required", "true"), new XAttribute("variableLength", "false"), metadata.Type));
        element.Add(TypeElement(metadata.Type), new XElement(Dev + "defaultValue", metadata.DefaultValue));
        return element;
    }

    private static int Position(ParameterMetadata metadata) => int.TryParse(metadata.Position, out var p) ? p : int.MaxValue;

    private static XElement TypeElement(string name) => new(Dev + "type", new XElement(Maml + "name", name), new XElement(Maml + "uri"));

    private static XElement Description(IEnumerable<string> paragraphs) => new(Maml + "description", Paras(paragraphs));

    private static IEnumerable<XElement> Paras(IEnumerable<string> paragraphs) => paragraphs.Select(p => new XElement(Maml + "para", p));
}
