using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Sandbox.Api;
using FinqLink.Sandbox.Auth;
using FinqLink.Sandbox.Control;
using FinqLink.Sandbox.Data;
using FinqLink.Sandbox.Faults;
using FinqLink.Sandbox.Infrastructure;
using FinqLink.Sandbox.Pay;
using FinqLink.Sandbox.Webhooks;
using FinqLink.Sandbox.WebUi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
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
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping;
    private readonly WebhookSender _webhooks;

    private SandboxHost(WebApplication app, CancellationTokenSource stopping, WebhookSender webhooks, SandboxControl control)
    {
        _app = app;
        _stopping = stopping;
        _webhooks = webhooks;
        Control = control;
    }

    public SandboxControl Control { get; }
    public SandboxSettings Settings => Control.Settings;
    public string BaseUrl { get; private set; } = "";
    public IReadOnlyList<string> Urls { get; private set; } = Array.Empty<string>();
    public string TokenEndpointUrl => BaseUrl + TokenEndpoint.Path;

    public static async Task<SandboxHost> StartAsync(SandboxOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SandboxOptions();
        var time = TimeProvider.System;
        var settings = new SandboxSettings
        {
            TokenLifetime = options.TokenLifetime, JobCooldown = options.JobCooldown, BankStepDelay = options.BankStepDelay,
            JobStepDelay = options.JobStepDelay, TransactionsPerConsent = options.TransactionsPerConsent, Seed = options.Seed,
        };
        var stopping = new CancellationTokenSource();
        var ids = new IdGenerator(options.Seed);
        var counters = new Counters();
        var clients = new ClientRegistry();
        if (options.ClientsFile is { } file) clients.LoadFile(file);
        var tokens = new TokenStore(time);
        var keys = new SigningKeys();
        var webhooks = new WebhookSender(keys);
        var faults = new FaultPlan(options.Seed);
        faults.Set(options.Faults);

        var context = new SandboxContext(ids, time, counters, webhooks, settings, stopping.Token);
        var links = new LinkService(context);
        var consents = new ConsentService(context);
        var jobs = new JobService(consents, context);
        var data = new DataService(consents);
        var handlers = new Dictionary<string, Func<ApiCall, object>>(StringComparer.Ordinal)
        {
            ["providers/list"] = ProviderService.List, ["providers/get"] = ProviderService.Get,
            ["links/create"] = links.Create, ["links/get"] = links.Get, ["links/list"] = links.List,
            ["ais/consents/create"] = consents.Create, ["ais/consents/get"] = consents.Get,
            ["ais/consents/revoke"] = consents.Revoke, ["ais/consents/redirect"] = consents.Redirect,
            ["ais/accounts/list"] = data.Accounts, ["ais/balances/list"] = data.Balances, ["ais/transactions/list"] = data.Transactions,
            ["ais/jobs/create"] = jobs.Create, ["ais/jobs/get"] = jobs.Get,
        };
        var dispatcher = new ApiDispatcher(handlers, clients, tokens, faults, counters, ids, time);
        var tokenEndpoint = new TokenEndpoint(clients, new ClientAssertionVerifier(clients, tokens, time), tokens, settings, counters);
        var mtls = options.ClientCa is null ? null : new MtlsRules(MtlsRules.LoadRoots(options.ClientCa), time);
        var control = new SandboxControl(links, consents, jobs, keys, webhooks, faults, counters, clients, settings, mtls);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(options.Urls.Count > 0 ? options.Urls.ToArray() : new[] { "http://127.0.0.1:0" });
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            if (options.HttpsCertificate is null) return;
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(options.HttpsCertificate, options.HttpsCertificatePassword);
            kestrel.ConfigureHttpsDefaults(https =>
            {
                https.ServerCertificate = certificate;
                if (mtls is null) return;
                https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                https.ClientCertificateValidation = (cert, _, _) => mtls.Accept(cert);
            });
        });
        var app = builder.Build();

        app.MapGet("/.well-known/jwks.json", () => Results.Text(keys.Jwks().ToJsonString(), "application/json"));
        app.MapPost(TokenEndpoint.Path, async (HttpContext http) => await (await tokenEndpoint.HandleAsync(http)).ExecuteAsync(http));
        ControlEndpoints.Map(app, control, dispatcher);
        WebUiPages.Map(app, links, consents);
        app.MapPost("/{**path}", dispatcher.HandleAsync);

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var host = new SandboxHost(app, stopping, webhooks, control);
        host.Urls = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToArray();
        host.BaseUrl = host.Urls[0].Replace("://[::]", "://127.0.0.1").TrimEnd('/');
        return host;
    }

    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        _webhooks.Dispose();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
