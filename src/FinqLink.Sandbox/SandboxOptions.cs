using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using FinqLink.Sandbox.Faults;

namespace FinqLink.Sandbox;

/// <summary>Start-up options, from the command line or set by a test host.</summary>
public sealed class SandboxOptions
{
    public List<string> Urls { get; } = new();
    public string? ClientsFile { get; set; }
    public int Seed { get; set; } = 20240101;
    public int TransactionsPerConsent { get; set; } = 2_000;
    public List<FaultRule> Faults { get; } = new();
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);
    public TimeSpan JobCooldown { get; set; } = TimeSpan.FromSeconds(60);
    public TimeSpan BankStepDelay { get; set; } = TimeSpan.FromMilliseconds(300);
    public TimeSpan JobStepDelay { get; set; } = TimeSpan.FromMilliseconds(300);
    /// <summary>PFX of the HTTPS server certificate; HTTPS URLs need one.</summary>
    public string? HttpsCertificate { get; set; }
    public string? HttpsCertificatePassword { get; set; }
    /// <summary>PEM of the CA(s) client certificates must chain to; setting it requires mTLS on HTTPS URLs.</summary>
    public string? ClientCa { get; set; }

    public const string Help = """
        FinqLink local sandbox: an offline emulator of the FinqLink API (Pay and Data).

        Usage: dotnet run --project src/FinqLink.Sandbox -- [options]

          --urls <list>                  Listen URLs, ';'-separated (default http://127.0.0.1:5080). Loopback only.
          --clients <file>               JSON file of API clients (client_id, client_secret, keys, required_tracking).
          --seed <n>                     Seed of ids, generated data and fault decisions (default 20240101).
          --transactions <n>             Transactions generated per consent (default 2000; up to millions).
          --fault <rule>                 Fault rule, repeatable: path:latency=50,fail-before=0.05,fail-after=0.05,
                                         rate-limit=0.02,retry-after=<seconds>|date,drop-before=0.01,drop-after=0.01
                                         (path is an API resource such as links/create, or * for all).
          --token-lifetime <seconds>     Lifetime of OAuth2 access tokens (default 3600).
          --job-cooldown <seconds>       Minimum time between refresh jobs of one consent (default 60).
          --bank-step-delay <ms>         Delay between bank-side status changes after an approval (default 300).
          --job-step-delay <ms>          Delay between refresh-job status changes (default 300).
          --https-certificate <pfx>      Server certificate for https:// URLs.
          --https-certificate-password <p>
          --client-ca <pem>              Require client certificates (mTLS) chaining to this CA, checked by FinqLink's rules.
          --help                         Show this help.

        Built-in client: client_id "demo", client_secret "demo-secret". Token endpoint: /oauth2/v1/token.
        """;

    public static SandboxOptions Parse(IReadOnlyList<string> args)
    {
        var options = new SandboxOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--urls": options.Urls.AddRange(Next().Split(';', StringSplitOptions.RemoveEmptyEntries)); break;
                case "--clients": options.ClientsFile = Next(); break;
                case "--seed": options.Seed = Int(Next(), "--seed"); break;
                case "--transactions": options.TransactionsPerConsent = Int(Next(), "--transactions"); break;
                case "--fault": options.Faults.Add(FaultRule.Parse(Next())); break;
                case "--token-lifetime": options.TokenLifetime = TimeSpan.FromSeconds(Int(Next(), "--token-lifetime")); break;
                case "--job-cooldown": options.JobCooldown = TimeSpan.FromSeconds(Int(Next(), "--job-cooldown")); break;
                case "--bank-step-delay": options.BankStepDelay = TimeSpan.FromMilliseconds(Int(Next(), "--bank-step-delay")); break;
                case "--job-step-delay": options.JobStepDelay = TimeSpan.FromMilliseconds(Int(Next(), "--job-step-delay")); break;
                case "--https-certificate": options.HttpsCertificate = Next(); break;
                case "--https-certificate-password": options.HttpsCertificatePassword = Next(); break;
                case "--client-ca": options.ClientCa = Next(); break;
                default: throw new ArgumentException($"Unknown option {args[i]}; see --help.");
            }
        }
        if (options.ClientsFile is { } file && !File.Exists(file)) throw new ArgumentException($"--clients: {file} does not exist.");
        return options;
    }

    private static int Int(string text, string option) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new ArgumentException($"{option} takes a whole number, not '{text}'.");
}
