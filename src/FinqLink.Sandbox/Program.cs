using System;
using System.Linq;
using FinqLink.Sandbox;
using FinqLink.Sandbox.Auth;

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(SandboxOptions.Help);
    return 0;
}

SandboxOptions options;
try { options = SandboxOptions.Parse(args); }
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
if (options.Urls.Count == 0) options.Urls.Add("http://127.0.0.1:5080");

await using var host = await SandboxHost.StartAsync(options);
Console.WriteLine($"FinqLink sandbox listening on {string.Join(", ", host.Urls)}");
Console.WriteLine($"  API:            {host.BaseUrl}/v2/... (also /v1, /test, /v2/test, /test/v2)");
Console.WriteLine($"  Token endpoint: {host.TokenEndpointUrl}");
Console.WriteLine($"  Demo client:    client_id {ClientRegistry.DemoClientId}, client_secret {ClientRegistry.DemoClientSecret}");
Console.WriteLine($"  Control API:    {host.BaseUrl}/sandbox/stats");
Console.WriteLine("Press Ctrl+C to stop.");
await host.WaitForShutdownAsync();
return 0;
