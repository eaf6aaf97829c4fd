using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;

namespace FinqLink.Module.Tests;

[AttributeUsage(AttributeTargets.Assembly)]
public sealed class ModuleVersionAttribute : Attribute
{
    public ModuleVersionAttribute(string version) => Version = version;
    public string Version { get; }
}

/// <summary>A hosted PowerShell 7.6 runspace with the built module imported by its psd1, as a user would.</summary>
public sealed class ModuleHost : IDisposable
{
    private readonly Runspace _runspace;

    public ModuleHost(bool importModule = true)
    {
        var state = InitialSessionState.CreateDefault2();
        _runspace = RunspaceFactory.CreateRunspace(state);
        _runspace.Open();
        if (importModule) Invoke("Import-Module $args[0] -ErrorAction Stop", ManifestPath);
    }

    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "FinqLink.psd1"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root (FinqLink.psd1).");
        }
    }

    public static string ModuleVersion => typeof(ModuleHost).Assembly.GetCustomAttribute<ModuleVersionAttribute>()!.Version;

    public static string ManifestPath => Path.Combine(RepoRoot, "out", "FinqLink", ModuleVersion, "FinqLink.psd1");

    /// <summary>Runs a script; throws on a terminating error. Errors and streams are kept in <see cref="Last"/>.</summary>
    public Collection<PSObject> Invoke(string script, params object?[] args)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript(script);
        foreach (var a in args) ps.AddArgument(a);
        var output = ps.Invoke();
        Last = new Streams(ps.Streams.Error.ToList(), ps.Streams.Verbose.Select(v => v.Message).ToList(),
            ps.Streams.Debug.Select(d => d.Message).ToList(), ps.Streams.Warning.Select(w => w.Message).ToList(),
            ps.Streams.Information.Select(i => i.MessageData?.ToString() ?? "").ToList());
        return output;
    }

    /// <summary>
    /// Starts a script, stops it (as Ctrl+C does) once it writes a progress record <paramref name="ready"/> accepts, and
    /// says how long stopping took.
    /// </summary>
    public TimeSpan StopWhenProgress(Func<ProgressRecord, bool> ready, string script, params object?[] args)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript(script);
        foreach (var a in args) ps.AddArgument(a);
        using var readied = new System.Threading.ManualResetEventSlim();
        ps.Streams.Progress.DataAdded += (_, e) => { if (ready(ps.Streams.Progress[e.Index])) readied.Set(); };
        var running = ps.BeginInvoke();
        if (!readied.Wait(TimeSpan.FromSeconds(60))) throw new TimeoutException($"The script wrote no progress record it was waiting for within 60 s: {script}");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ps.Stop();
        try { ps.EndInvoke(running); } catch (PipelineStoppedException) { }
        return clock.Elapsed;
    }

    /// <summary>Fails with the errors' ids and messages, so a broken run says why.</summary>
    public void AssertNoErrors()
    {
        if (Last.Errors.Count > 0)
            throw new Xunit.Sdk.XunitException("Expected no errors, got:\n" + string.Join("\n", Last.Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e.Exception.Message}")));
    }

    public Streams Last { get; private set; } = new(new(), new(), new(), new(), new());

    public sealed record Streams(List<ErrorRecord> Errors, List<string> Verbose, List<string> Debug, List<string> Warnings, List<string> Information);

    public void Dispose() => _runspace.Dispose();
}
