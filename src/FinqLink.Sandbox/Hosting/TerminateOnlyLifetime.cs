using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;

namespace FinqLink.Sandbox.Hosting;

/// <summary>
/// The lifetime of a sandbox started behind a shell (Start-FinqLinkSandbox, --ignore-interrupt): Ctrl+C at the terminal
/// goes to every process of the foreground group, and there it means "stop the command at the prompt", not "stop the
/// sandbox behind it". So SIGINT is ignored; SIGTERM and SIGQUIT stop the host as the console lifetime would.
/// </summary>
internal sealed class TerminateOnlyLifetime(IHostApplicationLifetime lifetime) : IHostLifetime, System.IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = new();

    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = true));
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGQUIT })
            _registrations.Add(PosixSignalRegistration.Create(signal, context => { context.Cancel = true; lifetime.StopApplication(); }));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
    }
}
