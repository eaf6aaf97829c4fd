using System;
using System.Collections.Generic;

namespace FinqLink.HelpCompiler;

public sealed class HelpFormatException(string message) : Exception(message);

/// <summary>One cmdlet's help as the platyPS markdown states it.</summary>
public sealed class CommandHelp
{
    public required string Name { get; init; }
    public required string HelpFile { get; init; }
    public List<string> Synopsis { get; } = new();
    public List<string> Description { get; } = new();
    /// <summary>Parameter set names in the order of the SYNTAX section; the default one is marked.</summary>
    public List<(string Name, bool IsDefault)> ParameterSets { get; } = new();
    public List<Example> Examples { get; } = new();
    public List<ParameterHelp> Parameters { get; } = new();
    public List<TypeHelp> Inputs { get; } = new();
    public List<TypeHelp> Outputs { get; } = new();
    public List<string> Notes { get; } = new();
    public List<(string Text, string Uri)> RelatedLinks { get; } = new();
}

public sealed class Example
{
    public required string Title { get; init; }
    public List<string> Code { get; } = new();
    public List<string> Remarks { get; } = new();
}

public sealed class TypeHelp
{
    public required string TypeName { get; init; }
    public List<string> Description { get; } = new();
}

public sealed class ParameterHelp
{
    public required string Name { get; init; }
    public List<string> Description { get; } = new();
    /// <summary>One block per distinct metadata (platyPS writes several when e.g. Required differs between sets).</summary>
    public List<ParameterMetadata> Metadata { get; } = new();
}

public sealed class ParameterMetadata
{
    public string Type { get; set; } = "Object";
    public List<string> Sets { get; set; } = new();
    public List<string> Aliases { get; set; } = new();
    public List<string> AcceptedValues { get; set; } = new();
    public bool Required { get; set; }
    public string Position { get; set; } = "Named";
    public string DefaultValue { get; set; } = "None";
    public string PipelineInput { get; set; } = "False";
    public bool Wildcards { get; set; }

    public bool AppliesTo(string set) => Sets.Contains("(All)") || Sets.Contains(set);

    public static ParameterMetadata Parse(string yaml, string where)
    {
        var metadata = new ParameterMetadata();
        foreach (var raw in yaml.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0) continue;
            var colon = line.IndexOf(':');
            if (colon < 0) throw new HelpFormatException($"{where}: '{line}' is not 'Key: value'");
            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            switch (key)
            {
                case "Type": metadata.Type = value; break;
                case "Parameter Sets": metadata.Sets = List(value); break;
                case "Aliases": metadata.Aliases = List(value); break;
                case "Accepted values": metadata.AcceptedValues = List(value); break;
                case "Required": metadata.Required = Bool(value, where, key); break;
                case "Position": metadata.Position = value; break;
                case "Default value": metadata.DefaultValue = value; break;
                case "Accept pipeline input": metadata.PipelineInput = value; break;
                case "Accept wildcard characters": metadata.Wildcards = Bool(value, where, key); break;
                default: throw new HelpFormatException($"{where}: unknown parameter field '{key}'");
            }
        }
        return metadata;
    }

    private static List<string> List(string value) =>
        value.Length == 0 ? new() : new(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static bool Bool(string value, string where, string key) => value switch
    {
        "True" or "true" => true,
        "False" or "false" => false,
        _ => throw new HelpFormatException($"{where}: {key} must be True or False"),
    };
}
