using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text.RegularExpressions;
using FinqLink.Sandbox.Faults;
using Xunit;

namespace FinqLink.Module.Tests;

/// <summary>
/// New-FinqLink's progress, as a hosted runspace's Progress stream receives it: a long run's bar is drawn and kept current,
/// and the rows held behind it still come in order. When the bar goes up, and that a quick run shows none, is timing:
/// ProgressPacerTests (FinqLink.Core.Tests) proves it on a fake clock, since wall-clock bounds flake on a loaded machine.
/// </summary>
public sealed class BulkProgressTests : IAsyncLifetime
{
    private FinqLink.Sandbox.SandboxHost _sandbox = null!;
    private Runspace _runspace = null!;

    public async System.Threading.Tasks.Task InitializeAsync()
    {
        _sandbox = await FinqLink.Sandbox.SandboxHost.StartAsync(new FinqLink.Sandbox.SandboxOptions { Seed = 5 });
        _runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        _runspace.Open();
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript("Import-Module $args[0] -ErrorAction Stop; Connect-FinqLink -BaseUri $args[1] -ClientId demo -ClientSecret $args[2]")
            .AddArgument(ModuleHost.ManifestPath).AddArgument(_sandbox.BaseUrl).AddArgument(PayCmdletTests.Secure("demo-secret"));
        ps.Invoke();
    }

    private sealed record Seen(ProgressRecordType Type, string Status, int Percent);

    /// <summary>Runs <paramref name="rows"/> rows through New-FinqLink; the outputs and each progress record.</summary>
    private (List<PSObject> Outputs, List<Seen> Progress) Run(int rows, int throttle)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = _runspace;
        ps.AddScript("1..$args[0] | ForEach-Object { [pscustomobject]@{ Amount = '1.00'; Currency = 'RON'; Reference = \"P-$_\" } } | New-FinqLink -ThrottleLimit $args[1]")
            .AddArgument(rows).AddArgument(throttle);
        var seen = new List<Seen>();
        ps.Streams.Progress.DataAdded += (_, e) =>
        {
            var r = ps.Streams.Progress[e.Index];
            lock (seen) seen.Add(new Seen(r.RecordType, r.StatusDescription, r.PercentComplete));
        };
        var outputs = ps.Invoke().ToList();
        Assert.Empty(ps.Streams.Error);
        lock (seen) return (outputs, seen.ToList());
    }

    [Fact]
    public void A_long_run_shows_progress_and_keeps_it_current()
    {
        // 32 rows, 4 at a time, 800 ms each: about 6.4 s, the last 1.6 s after the input has ended. The creates are slow
        // rather than many, so a loaded machine, whose thread pool hands back answers in bursts, still sees several redraws.
        _sandbox.Control.SetFaults(new[] { new FaultRule { Path = "links/create", LatencyMs = 800 } }, seed: 1);
        var (outputs, progress) = Run(32, 4);
        Assert.Equal(32, outputs.Count);
        var drawn = progress.Where(p => p.Type == ProgressRecordType.Processing).ToList();
        var story = string.Join("\n", progress.Select(p => $"{p.Type} {p.Percent}% {p.Status}"));
        Assert.True(drawn.Count >= 2, "the bar is redrawn as the run goes:\n" + story);
        Assert.All(drawn, p => Assert.Matches(@"^\d+(/32)? done, \d+ in flight, \d+ errors?, [\d.]+/s", p.Status));
        var inFlight = drawn.Select(p => int.Parse(Regex.Match(p.Status, @"(\d+) in flight").Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.True(inFlight.All(n => n <= 4) && inFlight.Any(n => n > 0), "the creates in flight, at most -ThrottleLimit:\n" + story);
        var done = drawn.Select(p => int.Parse(p.Status.Split('/', ' ')[0], CultureInfo.InvariantCulture)).ToList();
        Assert.True(done.Zip(done.Skip(1)).All(d => d.First <= d.Second) && done[^1] > done[0], "the count of rows done grows:\n" + story);
        // Once the input has ended, the count is known: the share done and the time left.
        var counted = drawn.Where(p => p.Status.Contains("/32 done", StringComparison.Ordinal)).ToList();
        Assert.True(counted.Count > 0, "the bar says how many rows there are once the input ends:\n" + story);
        Assert.All(counted, p => Assert.InRange(p.Percent, 1, 100));
        Assert.Contains(counted, p => p.Status.EndsWith(" left", StringComparison.Ordinal));
        Assert.Equal(ProgressRecordType.Completed, progress[^1].Type);
        // The rows held while the bar was up still come in input order.
        Assert.Equal(Enumerable.Range(1, 32).Select(n => $"P-{n}"), outputs.Select(o => (string)o.Properties["Reference"].Value));
    }

    public async System.Threading.Tasks.Task DisposeAsync()
    {
        _runspace.Dispose();
        await _sandbox.DisposeAsync();
    }
}
