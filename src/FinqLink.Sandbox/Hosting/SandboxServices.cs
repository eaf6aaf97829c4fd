using System;
using FinqLink.Sandbox.Api;
using FinqLink.Sandbox.Auth;
using FinqLink.Sandbox.Clock;
using FinqLink.Sandbox.Control;
using FinqLink.Sandbox.Data;
using FinqLink.Sandbox.Faults;
using FinqLink.Sandbox.Infrastructure;
using FinqLink.Sandbox.Pay;
using FinqLink.Sandbox.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace FinqLink.Sandbox.Hosting;

/// <summary>The sandbox's services, one instance each for the life of the host.</summary>
public static class SandboxServices
{
    public static IServiceCollection AddSandbox(this IServiceCollection services, SandboxOptions options, SandboxClock clock, TlsRejections tlsRejections)
    {
        var clients = new ClientRegistry();
        if (options.ClientsFile is { } file) clients.LoadFile(file);
        var faults = new FaultPlan(options.Seed);
        faults.Set(options.Faults);

        services.AddSingleton(options).AddSingleton(clock).AddSingleton<TimeProvider>(clock).AddSingleton(tlsRejections)
            .AddSingleton(clients).AddSingleton(faults).AddSingleton(new IdGenerator(options.Seed))
            .AddSingleton(new SandboxSettings
            {
                TokenLifetime = options.TokenLifetime, JobCooldown = options.JobCooldown, BankStepDelay = options.BankStepDelay,
                JobStepDelay = options.JobStepDelay, TransactionsPerConsent = options.TransactionsPerConsent, Seed = options.Seed,
                FundsConfirmationProviders = options.FundsConfirmationProviders.ToArray(),
            });
        services.AddSingleton<Counters>().AddSingleton<RequestIds>().AddSingleton<SandboxAddresses>().AddSingleton<BankSteps>()
            .AddSingleton<SigningKeys>().AddSingleton<WebhookSender>()
            .AddSingleton<TokenStore>().AddSingleton<ClientAuthenticator>().AddSingleton<ClientAssertionVerifier>().AddSingleton<TokenEndpoint>()
            .AddSingleton<LinkStore>().AddSingleton<LinkLifecycle>().AddSingleton<LinkHandlers>()
            .AddSingleton<ConsentStore>().AddSingleton<ConsentLifecycle>().AddSingleton<ConsentLookup>().AddSingleton<ConsentHandlers>()
            .AddSingleton<JobStore>().AddSingleton<JobLifecycle>().AddSingleton<JobHandlers>().AddSingleton<DataHandlers>()
            .AddSingleton<SandboxControl>();
        services.AddExceptionHandler<ApiErrorHandler>();
        services.AddProblemDetails();   // only so UseExceptionHandler() accepts a configuration without a path: ApiErrorHandler answers everything
        return services;
    }
}
