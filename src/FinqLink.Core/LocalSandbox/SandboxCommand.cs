using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace FinqLink.LocalSandbox
{
    /// <summary>How to run the local sandbox: an executable and the arguments that come before the sandbox's own options.</summary>
    public sealed class SandboxCommand
    {
        public const string ToolCommand = "finqlink-sandbox";
        public const string PathVariable = "FINQLINK_SANDBOX_PATH";
        public const string InstallHint =
            "Install it with 'dotnet tool install --global FinqLink.Sandbox' (or --tool-path <folder>, or into a local tool manifest), or give -Path.";

        private SandboxCommand(string fileName, IReadOnlyList<string> prefix, string description, string? workingDirectory = null)
        {
            FileName = fileName;
            PrefixArguments = prefix;
            Description = description;
            WorkingDirectory = workingDirectory;
        }

        public string FileName { get; }
        public IReadOnlyList<string> PrefixArguments { get; }
        /// <summary>Where the sandbox was found, for messages.</summary>
        public string Description { get; }
        /// <summary>Where the process must start, or null for anywhere: dotnet tool run finds the manifest from its working folder.</summary>
        public string? WorkingDirectory { get; }

        /// <summary>
        /// Finds the sandbox: an explicit path (FinqLink.Sandbox.dll runs under dotnet), else $env:FINQLINK_SANDBOX_PATH, else the
        /// finqlink-sandbox tool on PATH (a global tool or a --tool-path folder on PATH), else a local tool manifest that lists it.
        /// </summary>
        public static SandboxCommand Find(string? explicitPath, string workingDirectory)
        {
            if (!string.IsNullOrEmpty(explicitPath)) return FromPath(explicitPath!, "-Path");
            var fromVariable = Environment.GetEnvironmentVariable(PathVariable);
            if (!string.IsNullOrEmpty(fromVariable)) return FromPath(fromVariable!, "$env:" + PathVariable);
            var onPath = FindOnPath(ToolCommand);
            if (onPath != null) return new SandboxCommand(onPath, Array.Empty<string>(), onPath);
            var manifest = FindToolManifest(workingDirectory);
            if (manifest != null)
            {
                // PowerShell's current location is not the process's working folder, and the manifest is found from the latter.
                var folder = Path.GetDirectoryName(manifest)!;
                if (Path.GetFileName(folder) == ".config") folder = Path.GetDirectoryName(folder)!;
                return new SandboxCommand("dotnet", new[] { "tool", "run", ToolCommand, "--" }, "dotnet tool run (" + manifest + ")", folder);
            }
            throw new FileNotFoundException($"The FinqLink sandbox ({ToolCommand}) was not found on PATH or in a local tool manifest. {InstallHint}");
        }

        private static SandboxCommand FromPath(string path, string origin)
        {
            var full = Path.GetFullPath(path);
            if (Directory.Exists(full))
            {
                var dll = Path.Combine(full, "FinqLink.Sandbox.dll");
                var tool = Path.Combine(full, ToolCommand + Executable);
                full = File.Exists(tool) ? tool : dll;
            }
            if (!File.Exists(full)) throw new FileNotFoundException($"{origin}: {full} does not exist. {InstallHint}");
            return full.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
                ? new SandboxCommand("dotnet", new[] { full }, full)
                : new SandboxCommand(full, Array.Empty<string>(), full);
        }

        private static string Executable => Path.DirectorySeparatorChar == '\\' ? ".exe" : "";

        private static string? FindOnPath(string command)
        {
            var folders = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(new[] { Path.PathSeparator }, StringSplitOptions.RemoveEmptyEntries);
            return folders.Select(folder => Path.Combine(folder.Trim('"'), command + Executable)).FirstOrDefault(File.Exists);
        }

        /// <summary>The nearest dotnet-tools.json (in .config/ or beside) that names the sandbox's package, walking up from <paramref name="start"/>.</summary>
        private static string? FindToolManifest(string start)
        {
            for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
            {
                foreach (var candidate in new[] { Path.Combine(dir.FullName, ".config", "dotnet-tools.json"), Path.Combine(dir.FullName, "dotnet-tools.json") })
                {
                    if (File.Exists(candidate) && File.ReadAllText(candidate).IndexOf("\"finqlink.sandbox\"", StringComparison.OrdinalIgnoreCase) >= 0)
                        return candidate;
                }
            }
            return null;
        }
    }
}
