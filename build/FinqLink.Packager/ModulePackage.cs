using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NuGet.Packaging;
using NuGet.Versioning;

namespace FinqLink.Packager;

/// <summary>
/// Packs a module folder (out/FinqLink/&lt;version&gt;) as the PowerShell Gallery does: the files at the package root,
/// a nuspec from the manifest, and the tags PowerShellGet and PSResourceGet search by (PSModule, PSIncludes_Cmdlet,
/// PSCmdlet_*, PSCommand_*, PSEdition_*).
/// </summary>
public static class ModulePackage
{
    /// <summary>Writes &lt;Name&gt;.&lt;Version&gt;.nupkg into <paramref name="outputDirectory"/> and returns its path.</summary>
    public static string Create(string moduleDirectory, string outputDirectory)
    {
        var manifestPath = Directory.GetFiles(moduleDirectory, "*.psd1").SingleOrDefault()
                           ?? throw new FileNotFoundException($"{moduleDirectory} must hold exactly one module manifest (.psd1).");
        var manifest = ModuleManifest.Read(manifestPath);
        var builder = new PackageBuilder
        {
            Id = manifest.Name,
            Version = NuGetVersion.Parse(manifest.Version),
            Description = manifest.Description,
            Copyright = manifest.Copyright,
            ReleaseNotes = manifest.ReleaseNotes,
            ProjectUrl = manifest.ProjectUri is null ? null : new Uri(manifest.ProjectUri),
            LicenseUrl = manifest.LicenseUri is null ? null : new Uri(manifest.LicenseUri),
        };
        builder.Authors.Add(manifest.Author);
        builder.Tags.AddRange(Tags(manifest));
        foreach (var file in Directory.EnumerateFiles(moduleDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            builder.Files.Add(new PhysicalPackageFile { SourcePath = file, TargetPath = Path.GetRelativePath(moduleDirectory, file) });

        Directory.CreateDirectory(outputDirectory);
        var path = Path.Combine(outputDirectory, $"{manifest.Name}.{builder.Version.ToNormalizedString()}.nupkg");
        using (var stream = File.Create(path)) builder.Save(stream);
        return path;
    }

    public static IEnumerable<string> Tags(ModuleManifest manifest)
    {
        var tags = new List<string>(manifest.Tags) { "PSModule" };
        tags.AddRange(manifest.CompatiblePSEditions.Select(e => "PSEdition_" + e));
        if (manifest.CmdletsToExport.Length > 0) tags.Add("PSIncludes_Cmdlet");
        foreach (var cmdlet in manifest.CmdletsToExport) tags.AddRange(new[] { "PSCmdlet_" + cmdlet, "PSCommand_" + cmdlet });
        return tags.Distinct(StringComparer.OrdinalIgnoreCase);
    }
}
