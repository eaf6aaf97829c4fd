using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace FinqLink.LocalSandbox
{
    /// <summary>
    /// A local sandbox running as a child process on a loopback port: started, awaited until it answers, and stopped
    /// with its whole process tree (a tool shim or 'dotnet tool run' starts the sandbox as a grandchild).
    /// </summary>
    public sealed class SandboxProcess : IDisposable
    {
        /// <summary>The first line the sandbox prints once it listens (src/FinqLink.Sandbox/Program.cs).</summary>
        public const string ListeningPrefix = "FinqLink sandbox listening on ";
        public const string BuiltInClientId = "demo";
        public const string BuiltInClientSecret = "demo-secret";
        public const string TokenEndpointPath = "/oauth2/v1/token";

        private readonly Process _process;
        private readonly StreamWriter _log;
        private bool _disposed;

        private SandboxProcess(Process process, StreamWriter log, string logPath, IReadOnlyList<Uri> listenUris, string command)
        {
            _process = process;
            _log = log;
            LogPath = logPath;
            ListenUris = listenUris;
            BaseUri = listenUris[0];
            Command = command;
            ProcessId = process.Id;
        }

        public Uri BaseUri { get; }
        /// <summary>Every URL the sandbox listens on (an HTTPS one too, when it was started with one); BaseUri is the first.</summary>
        public IReadOnlyList<Uri> ListenUris { get; }
        public Uri TokenEndpoint => new Uri(BaseUri, TokenEndpointPath);
        public Uri ControlUri => new Uri(BaseUri, "/sandbox/");
        public int ProcessId { get; }
        public string Command { get; }
        /// <summary>Everything the sandbox printed (stdout and stderr).</summary>
        public string LogPath { get; }
        public bool HasExited => _disposed || _process.HasExited;

        public static async Task<SandboxProcess> StartAsync(SandboxCommand command, SandboxStartOptions options, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var logPath = Path.Combine(Path.GetTempPath(), $"finqlink-sandbox-{Guid.NewGuid():N}.log");
            // This process holds the sandbox's stdin and never writes to it: when this process dies, however it dies, the
            // pipe closes and the sandbox ends and deletes the log (there is no one left to delete it).
            var arguments = command.PrefixArguments.Concat(options.ToArguments()).Concat(new[] { "--exit-on-stdin-close", "--starter-log", logPath }).ToList();
            var info = new ProcessStartInfo(command.FileName, string.Join(" ", arguments.Select(Quote)))
            {
                UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, CreateNoWindow = true,
            };
            if (command.WorkingDirectory != null) info.WorkingDirectory = command.WorkingDirectory;
            var log = new StreamWriter(logPath) { AutoFlush = true };
            var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            var process = new Process { StartInfo = info, EnableRaisingEvents = true };
            DataReceivedEventHandler record = (_, e) =>
            {
                if (e.Data == null) return;
                lock (log) log.WriteLine(e.Data);
                if (e.Data.StartsWith(ListeningPrefix, StringComparison.Ordinal)) listening.TrySetResult(e.Data.Substring(ListeningPrefix.Length));
            };
            process.OutputDataReceived += record;
            process.ErrorDataReceived += record;
            process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("exited"));
            void CloseLog()
            {
                log.Dispose();
                DeleteLog(logPath);
            }
            try { process.Start(); }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception || e is InvalidOperationException)
            {
                CloseLog();
                throw new FileNotFoundException($"Could not start the sandbox ({command.Description}): {e.Message}. {SandboxCommand.InstallHint}", e);
            }
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            var sandbox = default(SandboxProcess);
            try
            {
                var urls = await WithTimeout(listening.Task, timeout, cancellationToken).ConfigureAwait(false);
                var listenUris = urls.Split(',').Select(url => new Uri(url.Trim().Replace("://[::]", "://127.0.0.1").TrimEnd('/') + "/")).ToList();
                sandbox = new SandboxProcess(process, log, logPath, listenUris, command.Description);
                await sandbox.WaitUntilAnsweringAsync(timeout, cancellationToken).ConfigureAwait(false);
                return sandbox;
            }
            catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                KillTree(process);
                var printed = ReadTail(logPath, log);
                CloseLog();
                throw new InvalidOperationException(
                    $"The sandbox ({command.Description}) did not start within {timeout.TotalSeconds:0} s" + (printed.Length > 0 ? ". It printed:\n" + printed : "."), e);
            }
            catch
            {
                KillTree(process);
                CloseLog();
                throw;
            }
        }

        private async Task WaitUntilAnsweringAsync(TimeSpan timeout, CancellationToken cancellationToken)
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var deadline = DateTime.UtcNow + timeout;
            var jwks = new Uri(BaseUri, "/.well-known/jwks.json");
            while (true)
            {
                try
                {
                    using var response = await http.GetAsync(jwks, cancellationToken).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode) return;
                }
                catch (HttpRequestException) when (DateTime.UtcNow < deadline) { }
                catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested && DateTime.UtcNow < deadline) { }
                if (DateTime.UtcNow >= deadline || _process.HasExited) throw new TimeoutException($"{jwks} did not answer.");
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Ends the sandbox and every process it started; waits for them to go.</summary>
        public void Stop()
        {
            if (!_process.HasExited)
            {
                // Closing its stdin asks the sandbox to stop (--exit-on-stdin-close). A graceful exit lets the .NET runtime
                // remove its diagnostics pipes from the temp folder, which a kill leaves behind; a sandbox that does not
                // stop in time is killed.
                try { _process.StandardInput.Close(); }
                catch (Exception e) when (e is IOException || e is InvalidOperationException) { }
                _process.WaitForExit(GracefulStopMilliseconds);
            }
            KillTree(_process);
            _process.WaitForExit(10_000);
        }

        private const int GracefulStopMilliseconds = 5_000;

        public void Dispose()
        {
            if (_disposed) return;
            Stop();
            _disposed = true;
            lock (_log) _log.Dispose();
            DeleteLog(LogPath);
            _process.Dispose();
        }

        /// <summary>The log lives as long as its sandbox: a stopped one leaves nothing in the temp folder.</summary>
        private static void DeleteLog(string path)
        {
            try { File.Delete(path); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { }
        }

        private static void KillTree(Process process)
        {
            try
            {
                if (process.HasExited) return;
                // Process.Kill(bool entireProcessTree) exists on .NET Core 3.0+ (PowerShell 7), not in netstandard2.0's surface.
                var killTree = typeof(Process).GetMethod("Kill", new[] { typeof(bool) });
                if (killTree != null) killTree.Invoke(process, new object[] { true });
                else if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) Process.Start(new ProcessStartInfo("taskkill", $"/PID {process.Id} /T /F") { CreateNoWindow = true, UseShellExecute = false })?.WaitForExit(10_000);
                else process.Kill();
            }
            catch (Exception e) when (e is InvalidOperationException || e is TargetInvocationException || e is System.ComponentModel.Win32Exception) { }
        }

        private static async Task<T> WithTimeout<T>(Task<T> task, TimeSpan timeout, CancellationToken cancellationToken)
        {
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var finished = await Task.WhenAny(task, Task.Delay(timeout, cancel.Token)).ConfigureAwait(false);
            cancel.Cancel();
            cancellationToken.ThrowIfCancellationRequested();
            if (finished != task) throw new TimeoutException("no listening line");
            return await task.ConfigureAwait(false);
        }

        private static string ReadTail(string path, StreamWriter log)
        {
            lock (log) log.Flush();
            try
            {
                using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
                var lines = reader.ReadToEnd().Split('\n');
                return string.Join("\n", lines.Skip(Math.Max(0, lines.Length - 15))).Trim();
            }
            catch (IOException) { return ""; }
        }

        private static readonly char[] CharsToQuote = { ' ', '"', '\t' };

        private static string Quote(string argument) =>
            argument.Length > 0 && argument.IndexOfAny(CharsToQuote) < 0 ? argument : "\"" + argument.Replace("\"", "\\\"") + "\"";
    }
}
