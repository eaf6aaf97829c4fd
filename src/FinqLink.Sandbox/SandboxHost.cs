using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Sandbox.Api;
using FinqLink.Sandbox.Auth;
using FinqLink.Sandbox.Clock;
using FinqLink.Sandbox.Control;
using FinqLink.Sandbox.Hosting;
using FinqLink.Sandbox.Webhooks;
using FinqLink.Sandbox.WebUi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FinqLink.Sandbox;

/// <summary>
/// The running sandbox. <see cref="StartAsync"/> starts it in-process (an ephemeral loopback port unless
/// URLs are given); <see cref="BaseUrl"/> is what a client connects to and <see cref="Control"/> plays the payer.
/// </summary>
public sealed class SandboxHost : IAsyncDisposable
{
    private static readonly string[] AnyLoopbackPort = ["http://127.0.0.1:0"];
    private readonly WebApplication _app;

    private SandboxHost(WebApplication app, string baseUrl, IReadOnlyList<string> urls)
    {
        _app = app;
        BaseUrl = baseUrl;
        Urls = urls;
        Control = app.Services.GetRequiredService<SandboxControl>();
    }

    public SandboxControl Control { get; }
    public SandboxSettings Settings => Control.Settings;
    public SandboxClock Clock => Control.Clock;
    /// <summary>What clients connect to: <see cref="SandboxOptions.BaseUrl"/>, else the first listen URL.</summary>
    public string BaseUrl { get; }
    /// <summary>The listen URLs, with the real port of any :0.</summary>
    public IReadOnlyList<string> Urls { get; }
    public string TokenEndpointUrl => BaseUrl + TokenEndpoint.Path;

    public static async Task<SandboxHost> StartAsync(SandboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SandboxOptions();
        options.Validate();
        var clock = new SandboxClock(options.ClockOffset);
        var tlsRejections = new TlsRejections();
        var mtls = options.ClientCa is null ? null : new MtlsRules(MtlsRules.LoadRoots(options.ClientCa), clock, tlsRejections);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(options.Urls.Count > 0 ? options.Urls.ToArray() : AnyLoopbackPort);
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureSandbox(options, mtls));
        builder.Services.AddSandbox(options, clock, tlsRejections);
        if (options.IgnoreInterrupt) builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, Hosting.TerminateOnlyLifetime>();
        var app = builder.Build();

        app.UseSandboxDateHeader();
        app.UseExceptionHandler();
        app.MapGet("/.well-known/jwks.json", (SigningKeys keys) => Results.Text(keys.Jwks().ToJsonString(), "application/json"));
        app.MapPost(TokenEndpoint.Path, (HttpContext http, TokenEndpoint endpoint) => endpoint.HandleAsync(http));
        app.MapSandboxControl();
        app.MapWebUi();
        app.MapFinqLinkApi();

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var addresses = app.Services.GetRequiredService<SandboxAddresses>();
        return new SandboxHost(app, addresses.BaseUrls[0], addresses.Listening);
    }

    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
