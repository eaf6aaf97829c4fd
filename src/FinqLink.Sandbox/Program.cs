using System;
using System.IO;
using System.Linq;
using FinqLink.Sandbox;
using FinqLink.Sandbox.Auth;

// finqlink-sandbox: the .NET tool's entry point (also `dotnet run --project src/FinqLink.Sandbox`).
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(SandboxOptions.Help);
    return 0;
}

SandboxOptions options;
try
{
    options = SandboxOptions.Parse(args);
    if (options.Urls.Count == 0) options.Urls.Add("http://127.0.0.1:5080");
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

SandboxHost host;
try { host = await SandboxHost.StartAsync(options); }
catch (Exception e) when (e is IOException or FormatException or System.Security.Cryptography.CryptographicException)
{
    // A port in use, an unreadable clients file or certificate: say what, without a stack trace.
    Console.Error.WriteLine("The sandbox could not start: " + e.Message);
    return 1;
}

await using (host)
{
    // The first line is parsed by tools that start the sandbox: keep its wording.
    Console.WriteLine($"FinqLink sandbox listening on {string.Join(", ", host.Urls)}");
    Console.WriteLine($"  Base URL:       {host.BaseUrl}  (API at /v2/..., also /v1, /test, /v2/test, /test/v2)");
    Console.WriteLine($"  Token endpoint: {host.TokenEndpointUrl}");
    Console.WriteLine($"  Demo client:    client_id {ClientRegistry.DemoClientId}, client_secret {ClientRegistry.DemoClientSecret}");
    Console.WriteLine($"  Control API:    {host.BaseUrl}/sandbox/ (stats, clock, faults, settings, webhooks, clients, links|consents|jobs/{{id}}/...)");
    if (host.Clock.Offset != TimeSpan.Zero) Console.WriteLine($"  Clock:          {host.Clock.Offset.TotalSeconds:+0;-0} s from real time");
    Console.WriteLine("Press Ctrl+C to stop.");
    await host.WaitForShutdownAsync(options.ExitOnStdinClose ? FinqLink.Sandbox.Hosting.StarterWatch.Start(options.StarterLog) : default);
}
return 0;
