using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation.Language;

namespace FinqLink.Packager;

/// <summary>The parts of a module manifest (psd1) a package needs, read as data without running it.</summary>
public sealed record ModuleManifest(
    string Name, string Version, string Author, string Description, string? Copyright, string[] Tags, string[] CmdletsToExport,
    string[] CompatiblePSEditions, string? ProjectUri, string? LicenseUri, string? ReleaseNotes)
{
    public static ModuleManifest Read(string path)
    {
        var ast = Parser.ParseFile(path, out _, out var errors);
        if (errors.Length > 0) throw new FormatException($"{path}: {errors[0].Message}");
        var data = (Hashtable)(ast.Find(a => a is HashtableAst, false) ?? throw new FormatException($"{path}: no hashtable")).SafeGetValue();
        var psData = (data["PrivateData"] as Hashtable)?["PSData"] as Hashtable ?? new Hashtable();
        var version = Required(data, "ModuleVersion", path);
        if (psData["Prerelease"] is string prerelease && prerelease.Length > 0) version += "-" + prerelease;
        return new ModuleManifest(
            Path.GetFileNameWithoutExtension(path), version, Required(data, "Author", path), Required(data, "Description", path),
            data["Copyright"] as string, Strings(psData["Tags"]), Strings(data["CmdletsToExport"]), Strings(data["CompatiblePSEditions"]),
            psData["ProjectUri"] as string, psData["LicenseUri"] as string, psData["ReleaseNotes"] as string);
    }

    private static string Required(Hashtable data, string key, string path) =>
        data[key] as string is { Length: > 0 } value ? value : throw new FormatException($"{path}: {key} is required to make a package.");

    private static string[] Strings(object? value) => value switch
    {
        null => Array.Empty<string>(),
        string one => new[] { one },
        IEnumerable many => many.Cast<object>().Select(o => o.ToString()!).ToArray(),
        _ => new[] { value.ToString()! },
    };
}
