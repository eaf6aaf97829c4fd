using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
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

    private sealed record Option(string Name, string Value, string Description, Action<SandboxOptions, string> Apply);

    // The one list of options: Parse reads it and Help prints it, so the two cannot drift apart.
    private static readonly Option[] Options =
    {
        new("--urls", "<list>", "Listen URLs, ';'-separated (default http://127.0.0.1:5080). Loopback only.",
            (o, v) => o.Urls.AddRange(v.Split(';', StringSplitOptions.RemoveEmptyEntries))),
        new("--clients", "<file>", "JSON file of API clients (client_id, client_secret, keys, required_tracking).", (o, v) => o.ClientsFile = v),
        new("--seed", "<n>", "Seed of ids, generated data and fault decisions (default 20240101).", (o, v) => o.Seed = Int(v, "--seed")),
        new("--transactions", "<n>", "Transactions generated per consent (default 2000; up to millions).",
            (o, v) => o.TransactionsPerConsent = Int(v, "--transactions")),
        new("--fault", "<rule>", "Fault rule, repeatable: path:latency=50,fail-before=0.05,fail-after=0.05,rate-limit=0.02,"
                                 + "retry-after=<seconds>|date,drop-before=0.01,drop-after=0.01 (path is an API resource such as links/create, or * for all).",
            (o, v) => o.Faults.Add(FaultRule.Parse(v))),
        new("--token-lifetime", "<seconds>", "Lifetime of OAuth2 access tokens (default 3600).",
            (o, v) => o.TokenLifetime = TimeSpan.FromSeconds(Int(v, "--token-lifetime"))),
        new("--job-cooldown", "<seconds>", "Minimum time between refresh jobs of one consent (default 60).",
            (o, v) => o.JobCooldown = TimeSpan.FromSeconds(Int(v, "--job-cooldown"))),
        new("--bank-step-delay", "<ms>", "Delay between bank-side status changes after an approval (default 300).",
            (o, v) => o.BankStepDelay = TimeSpan.FromMilliseconds(Int(v, "--bank-step-delay"))),
        new("--job-step-delay", "<ms>", "Delay between refresh-job status changes (default 300).",
            (o, v) => o.JobStepDelay = TimeSpan.FromMilliseconds(Int(v, "--job-step-delay"))),
        new("--https-certificate", "<pfx>", "Server certificate for https:// URLs.", (o, v) => o.HttpsCertificate = v),
        new("--https-certificate-password", "<password>", "Password of the --https-certificate PFX.", (o, v) => o.HttpsCertificatePassword = v),
        new("--client-ca", "<pem>", "Require client certificates (mTLS) chaining to this CA, checked by FinqLink's rules.", (o, v) => o.ClientCa = v),
    };

    public static IReadOnlyList<string> OptionNames => Options.Select(o => o.Name).ToArray();

    public static string Help
    {
        get
        {
            var text = new StringBuilder()
                .AppendLine("FinqLink local sandbox: an offline emulator of the FinqLink API (Pay and Data).")
                .AppendLine()
                .AppendLine("Usage: dotnet run --project src/FinqLink.Sandbox -- [options]")
                .AppendLine();
            foreach (var option in Options) text.AppendLine($"  {option.Name + " " + option.Value,-34} {option.Description}");
            return text
                .AppendLine($"  {"--help",-34} Show this help.")
                .AppendLine()
                .AppendLine("Built-in client: client_id \"demo\", client_secret \"demo-secret\". Token endpoint: /oauth2/v1/token.")
                .ToString();
        }
    }

    public static SandboxOptions Parse(IReadOnlyList<string> args)
    {
        var options = new SandboxOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var option = Options.FirstOrDefault(o => o.Name == args[i]) ?? throw new ArgumentException($"Unknown option {args[i]}; see --help.");
            if (i + 1 >= args.Count) throw new ArgumentException($"{option.Name} needs a value {option.Value}.");
            option.Apply(options, args[++i]);
        }
        if (options.ClientsFile is { } file && !File.Exists(file)) throw new ArgumentException($"--clients: {file} does not exist.");
        return options;
    }

    private static int Int(string text, string option) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new ArgumentException($"{option} takes a whole number, not '{text}'.");
}
