using System;
using System.Threading.Tasks;
using FinqLink.Sandbox;
using Xunit;

namespace FinqLink.Module.Tests;

/// <summary>One in-process sandbox on an ephemeral loopback port, shared by a test class.</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    public SandboxHost Sandbox { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var options = new SandboxOptions
        {
            BankStepDelay = TimeSpan.FromMilliseconds(20),
            JobStepDelay = TimeSpan.FromMilliseconds(20),
            JobCooldown = TimeSpan.Zero,
        };
        Sandbox = await SandboxHost.StartAsync(options);
    }

    public async Task DisposeAsync() => await Sandbox.DisposeAsync();
}
