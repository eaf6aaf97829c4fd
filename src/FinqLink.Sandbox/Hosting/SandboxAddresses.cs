using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace FinqLink.Sandbox.Hosting;

/// <summary>
/// Where clients reach the sandbox: <see cref="SandboxOptions.BaseUrl"/> when configured, else the URLs it listens on
/// (a wildcard address written as 127.0.0.1). The token endpoint's expected <c>aud</c> derives from these, never from a
/// request's Host header.
/// </summary>
public sealed class SandboxAddresses
{
    private readonly IServer _server;
    private readonly string? _configured;

    public SandboxAddresses(IServer server, SandboxOptions options)
    {
        _server = server;
        _configured = options.BaseUrl?.TrimEnd('/');
    }

    /// <summary>The addresses the server really listens on (ephemeral ports resolved).</summary>
    public IReadOnlyList<string> Listening =>
        _server.Features.Get<IServerAddressesFeature>()?.Addresses.Select(Reachable).ToArray() ?? Array.Empty<string>();

    public IReadOnlyList<string> BaseUrls => _configured is null ? Listening : new[] { _configured };

    private static string Reachable(string address) =>
        address.Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal).Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
}
