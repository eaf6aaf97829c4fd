using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;

namespace FinqLink.Sandbox.Tests;

/// <summary>The sandbox as a real process (the built dll or the installed tool), stopped by a signal as a terminal or a service manager would.</summary>
internal sealed partial class SandboxProcess : IDisposable
{
    private const int SigInt = 2, SigTerm = 15;
    private readonly Process _process;
    private readonly StringBuilder _error = new();

    private SandboxProcess(Process process, List<string> banner, string baseUrl)
    {
        _process = process;
        Banner = banner;
        BaseUrl = baseUrl;
    }

    public IReadOnlyList<string> Banner { get; }
    public string BaseUrl { get; }

    [GeneratedRegex(@"^FinqLink sandbox listening on (http://127\.0\.0\.1:\d+)$")]
    private static partial Regex ListeningLine();

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>The built sandbox next to the tests, run by the dotnet host.</summary>
    public static Task<SandboxProcess> StartDll(params string[] args) =>
        Start("dotnet", new[] { Path.Combine(AppContext.BaseDirectory, "FinqLink.Sandbox.dll") }, args);

    /// <summary>Starts <paramref name="fileName"/> on a free loopback port and reads its banner up to "Press Ctrl+C".</summary>
    public static async Task<SandboxProcess> Start(string fileName, IEnumerable<string> prefix, params string[] args)
    {
        var start = new ProcessStartInfo(InterruptIgnored ? "env" : fileName) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        if (InterruptIgnored) foreach (var a in new[] { "--default-signal=INT", fileName }) start.ArgumentList.Add(a);
        foreach (var a in prefix) start.ArgumentList.Add(a);
        foreach (var a in new[] { "--urls", "http://127.0.0.1:0" }) start.ArgumentList.Add(a);
        foreach (var a in args) start.ArgumentList.Add(a);
        var process = Process.Start(start)!;
        var banner = new List<string>();
        var first = await ReadLine(process);
        var listening = ListeningLine().Match(first);
        Assert.True(listening.Success, $"first line: '{first}'");
        banner.Add(first);
        for (var line = await ReadLine(process); ; line = await ReadLine(process))
        {
            banner.Add(line);
            if (line.StartsWith("Press Ctrl+C", StringComparison.Ordinal)) break;
        }
        var sandbox = new SandboxProcess(process, banner, listening.Groups[1].Value);
        process.ErrorDataReceived += (_, e) => { lock (sandbox._error) sandbox._error.AppendLine(e.Data); };
        process.BeginErrorReadLine();
        return sandbox;
    }

    /// <summary>
    /// Whether this process was started with SIGINT ignored: a non-interactive shell starts its background jobs so (as
    /// `setsid nohup … &amp;` did for the test runs), exec keeps the ignore, and .NET keeps an inherited ignore rather than
    /// handling the signal (dotnet/coreclr#15393). A sandbox started from here would then never see the Ctrl+C these tests
    /// send; so it is started through GNU env's --default-signal, as a terminal starts a foreground job.
    /// </summary>
    private static readonly bool InterruptIgnored = File.Exists("/proc/self/status")
        && File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal)) is string ignored
        && (Convert.ToUInt64(ignored["SigIgn:".Length..].Trim(), 16) & (1UL << (SigInt - 1))) != 0;

    /// <summary>Sends SIGINT, as Ctrl+C at the terminal does to the whole foreground group, and returns at once.</summary>
    public void Interrupt() => Assert.Equal(0, Kill(_process.Id, SigInt));

    public bool HasExited => _process.HasExited;

    /// <summary>Closes the sandbox's standard input, as the kernel does when the process holding it dies.</summary>
    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>Waits for the sandbox to exit by itself; false when it still runs after <paramref name="deadline"/>.</summary>
    public async Task<bool> WaitForExit(TimeSpan deadline)
    {
        using var timeout = new System.Threading.CancellationTokenSource(deadline);
        try { await _process.WaitForExitAsync(timeout.Token); return true; }
        catch (OperationCanceledException) { return false; }
    }

    /// <summary>Sends SIGINT (Ctrl+C) or SIGTERM and waits for the exit; returns the exit code and what went to stderr.</summary>
    public async Task<(int ExitCode, string Error)> Stop(bool terminate)
    {
        Assert.Equal(0, Kill(_process.Id, terminate ? SigTerm : SigInt));
        using var timeout = new System.Threading.CancellationTokenSource(TimeSpan.FromSeconds(20));
        await _process.WaitForExitAsync(timeout.Token);
        lock (_error) return (_process.ExitCode, _error.ToString().Trim());
    }

    private static async Task<string> ReadLine(Process process)
    {
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (line is not null) return line;
        await process.WaitForExitAsync();
        throw new InvalidOperationException($"The sandbox ended early (exit {process.ExitCode}): {await process.StandardError.ReadToEndAsync()}");
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
