using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;

namespace FinqLink.Demo;

/// <summary>What Import-Csv gives a user's pwsh (the hosted engine has no Utility module): one PSCustomObject per row.</summary>
public static class Csv
{
    public static List<PSObject> Read(string path)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToList();
        var headers = Split(lines[0]);
        return lines.Skip(1).Select(line =>
        {
            var row = new PSObject();
            var values = Split(line);
            for (var i = 0; i < headers.Count; i++)
                row.Properties.Add(new PSNoteProperty(headers[i], i < values.Count ? values[i] : ""));
            return row;
        }).ToList();
    }

    private static List<string> Split(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
            else if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return fields;
    }
}
