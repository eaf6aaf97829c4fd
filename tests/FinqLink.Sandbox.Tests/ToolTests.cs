using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Reflection;
using System.Threading.Tasks;
using Xunit;

namespace FinqLink.Sandbox.Tests;

/// <summary>The sandbox as users get it: packed as the FinqLink.Sandbox .NET tool, installed into a tool path from a local folder, run as finqlink-sandbox.</summary>
public sealed class ToolTests : IDisposable
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("finqlink-tool-");

    [Fact]
    public async Task The_packed_tool_installs_answers_help_serves_and_stops_on_sigterm()
    {
        var version = typeof(SandboxHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
        var packages = Path.Combine(_work.FullName, "packages");
        var tools = Path.Combine(_work.FullName, "tools");
        // The sandbox was built with these tests, so packing only collects its output.
        Run("dotnet", "pack", Path.Combine(RepoRoot(), "src", "FinqLink.Sandbox"), "--no-build", "-c", Configuration, "-o", packages);
        Assert.True(File.Exists(Path.Combine(packages, $"FinqLink.Sandbox.{version}.nupkg")), "the package is named FinqLink.Sandbox.<FinqLinkVersion>");
        // Only the local folder as a source: the test must not depend on (or be fooled by) any feed.
        var config = Path.Combine(_work.FullName, "nuget.config");
        File.WriteAllText(config, $"<configuration><packageSources><clear /><add key=\"local\" value=\"{packages}\" /></packageSources></configuration>");
        Run("dotnet", "tool", "install", "--tool-path", tools, "--configfile", config, "--version", version, "FinqLink.Sandbox");

        var command = Path.Combine(tools, "finqlink-sandbox");
        var help = Run(command, "--help");
        Assert.Contains("Usage: finqlink-sandbox [options]", help);
        Assert.Equal(SandboxOptions.Help.Trim(), help.Trim());

        using var sandbox = await SandboxProcess.Start(command, Array.Empty<string>());
        Assert.Contains("client_id demo, client_secret demo-secret", string.Join("\n", sandbox.Banner));
        using (var http = new HttpClient())
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(sandbox.BaseUrl + "/sandbox/stats")).StatusCode);
        var (exit, error) = await sandbox.Stop(terminate: true);
        Assert.Equal(0, exit);
        Assert.Equal("", error);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "FinqLink.sln"))) return dir.FullName;
        throw new InvalidOperationException("FinqLink.sln not found above " + AppContext.BaseDirectory);
    }

    private string Run(string fileName, params string[] args)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _work.FullName };
        foreach (var a in args) start.ArgumentList.Add(a);
        // The test host's MSBuild variables would point a nested dotnet at the wrong SDK pieces.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList()) start.Environment.Remove(name);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(120_000), $"{fileName} {string.Join(' ', args)} did not finish");
        Assert.True(process.ExitCode == 0, $"{fileName} {string.Join(' ', args)} exited {process.ExitCode}:\n{output.Result}\n{error.Result}");
        return output.Result;
    }

    public void Dispose() => _work.Delete(recursive: true);
}
