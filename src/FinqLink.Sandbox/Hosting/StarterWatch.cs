using System;
using System.IO;
using System.Threading;

namespace FinqLink.Sandbox.Hosting;

/// <summary>
/// Ends a sandbox whose starter died (--exit-on-stdin-close): the starter holds the write end of the sandbox's standard
/// input and never writes, so reading it returns end-of-file exactly when the starter is gone, however it went (SIGKILL
/// included; the kernel closes a dead process's pipes). Unlike watching a process id, this cannot be fooled by a reused id
/// and needs no polling. The starter's log of this sandbox (--starter-log) is deleted first: nobody is left to delete it.
/// </summary>
public static class StarterWatch
{
    /// <summary>How long a graceful stop may take before the process exits anyway.</summary>
    private static readonly TimeSpan StopDeadline = TimeSpan.FromSeconds(10);

    /// <summary>Starts watching; the token is cancelled when standard input closes.</summary>
    public static CancellationToken Start(string? starterLog)
    {
        var gone = new CancellationTokenSource();
        var thread = new Thread(() =>
        {
            WaitForEndOfInput();
            DeleteLog(starterLog);
            gone.Cancel();
            // A stop that hangs (a webhook delivery that never ends) must not leave an orphan behind.
            Thread.Sleep(StopDeadline);
            Environment.Exit(3);
        })
        { IsBackground = true, Name = "starter watch" };
        thread.Start();
        return gone.Token;
    }

    private static void WaitForEndOfInput()
    {
        try
        {
            using var input = Console.OpenStandardInput();
            var buffer = new byte[256];
            while (input.Read(buffer, 0, buffer.Length) > 0) { }
        }
        catch (IOException) { }
    }

    private static void DeleteLog(string? path)
    {
        if (path is null) return;
        try { File.Delete(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
