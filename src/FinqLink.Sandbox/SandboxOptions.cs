using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using FinqLink.Sandbox.Clock;
using FinqLink.Sandbox.Faults;
using FinqLink.Sandbox.Hosting;
using FinqLink.Sandbox.Pay;

namespace FinqLink.Sandbox;

/// <summary>Start-up options, from the command line or set by a test host.</summary>
public sealed class SandboxOptions
{
    public const int MaxTransactionsPerConsent = 5_000_000;
    public static readonly TimeSpan MaxTokenLifetime = TimeSpan.FromDays(30);
    /// <summary>Short enough to stress token renewal; the token endpoint still answers whole seconds (see TokenEndpoint).</summary>
    public static readonly TimeSpan MinTokenLifetime = TimeSpan.FromMilliseconds(100);

    public List<string> Urls { get; } = new();
    /// <summary>Listen on non-loopback addresses too (a container); without it such URLs are refused.</summary>
    public bool AllowRemote { get; set; }
    /// <summary>The URL clients use to reach the sandbox, when it differs from the listen URLs (a container's published port).</summary>
    public string? BaseUrl { get; set; }
    public string? ClientsFile { get; set; }
    public int Seed { get; set; } = 20240101;
    public int TransactionsPerConsent { get; set; } = 2_000;
    public List<FaultRule> Faults { get; } = new();
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);
    public TimeSpan JobCooldown { get; set; } = TimeSpan.FromSeconds(60);
    public TimeSpan BankStepDelay { get; set; } = TimeSpan.FromMilliseconds(300);
    public TimeSpan JobStepDelay { get; set; } = TimeSpan.FromMilliseconds(300);
    /// <summary>Where the sandbox clock starts against real time (negative: behind).</summary>
    public TimeSpan ClockOffset { get; set; }
    /// <summary>Providers whose paid links move on to funds_received (see <see cref="SandboxSettings.FundsConfirmationProviders"/>).</summary>
    public List<string> FundsConfirmationProviders { get; } = new() { "libra_ro" };
    /// <summary>PFX of the HTTPS server certificate; HTTPS URLs need one.</summary>
    public string? HttpsCertificate { get; set; }
    public string? HttpsCertificatePassword { get; set; }
    /// <summary>PEM of the CA(s) client certificates must chain to; setting it requires mTLS on HTTPS URLs.</summary>
    public string? ClientCa { get; set; }

    /// <summary>Stop when standard input closes: the process that started the sandbox died (see <see cref="Hosting.StarterWatch"/>).</summary>
    public bool ExitOnStdinClose { get; set; }
    /// <summary>The starter's log of this sandbox, deleted when the sandbox ends because its starter died.</summary>
    public string? StarterLog { get; set; }

    /// <summary>Ignore SIGINT (see <see cref="Hosting.TerminateOnlyLifetime"/>).</summary>
    public bool IgnoreInterrupt { get; set; }

    /// <param name="Value">What follows the option, or null for a flag.</param>
    private sealed record Option(string Name, string? Value, string Description, Action<SandboxOptions, string> Apply);

    // The one list of options: Parse reads it and Help prints it, so the two cannot drift apart.
    private static readonly Option[] Options =
    {
        new("--urls", "<list>", "Listen URLs, ';'-separated (default http://127.0.0.1:5080; port 0 picks a free one). Loopback only, unless --allow-remote.",
            (o, v) => o.Urls.AddRange(v.Split(';', StringSplitOptions.RemoveEmptyEntries))),
        new("--allow-remote", null, "Allow non-loopback listen URLs such as http://0.0.0.0:5080 (containers). Anyone who reaches the port controls the sandbox.",
            (o, _) => o.AllowRemote = true),
        new("--base-url", "<url>", "URL clients reach the sandbox at, if not a listen URL; the token endpoint's expected aud is <url>/oauth2/v1/token.",
            (o, v) => o.BaseUrl = v),
        new("--clients", "<file>", "JSON file of API clients (client_id, client_secret, keys, required_tracking).", (o, v) => o.ClientsFile = v),
        new("--seed", "<n>", "Seed of ids, generated data and fault decisions (default 20240101).", (o, v) => o.Seed = Whole(v, "--seed")),
        new("--transactions", "<n>", $"Transactions generated per consent (default 2000; at most {MaxTransactionsPerConsent}).",
            (o, v) => o.TransactionsPerConsent = Whole(v, "--transactions")),
        new("--fault", "<rule>", "Fault rule, repeatable: path:latency=50,fail-before=0.05,fail-after=0.05,rate-limit=0.02,"
                                 + "retry-after=<seconds>|date,drop-before=0.01,drop-after=0.01 (path is an API resource such as links/create, or * for all).",
            (o, v) => o.Faults.Add(FaultRule.Parse(v))),
        new("--token-lifetime", "<seconds>", "Lifetime of OAuth2 access tokens, 0.1 to 2592000, fractions allowed (default 3600; expires_in answers whole seconds).",
            (o, v) => o.TokenLifetime = ToLifetime(Fraction(v, "--token-lifetime"))),
        new("--job-cooldown", "<seconds>", "Minimum time between refresh jobs of one consent (default 60).",
            (o, v) => o.JobCooldown = TimeSpan.FromSeconds(Whole(v, "--job-cooldown"))),
        new("--bank-step-delay", "<ms>", "Delay between bank-side status changes after an approval (default 300).",
            (o, v) => o.BankStepDelay = TimeSpan.FromMilliseconds(Whole(v, "--bank-step-delay"))),
        new("--job-step-delay", "<ms>", "Delay between refresh-job status changes (default 300).",
            (o, v) => o.JobStepDelay = TimeSpan.FromMilliseconds(Whole(v, "--job-step-delay"))),
        new("--clock-offset", "<seconds>", "Start the sandbox clock this far from real time, e.g. -300 (behind) or 4 (ahead). Move it later with /sandbox/clock.",
            (o, v) => o.ClockOffset = TimeSpan.FromSeconds(Signed(v, "--clock-offset"))),
        new("--funds-confirmation", "<providers>", "Comma-separated providers whose paid links go on to funds_received (default libra_ro; 'none' for none).",
            (o, v) =>
            {
                o.FundsConfirmationProviders.Clear();
                if (v != "none") o.FundsConfirmationProviders.AddRange(v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            }),
        new("--https-certificate", "<pfx>", "Server certificate for https:// URLs.", (o, v) => o.HttpsCertificate = v),
        new("--https-certificate-password", "<password>", "Password of the --https-certificate PFX.", (o, v) => o.HttpsCertificatePassword = v),
        new("--client-ca", "<pem>", "Require client certificates (mTLS) chaining to this CA, checked by FinqLink's rules.", (o, v) => o.ClientCa = v),
        new("--ignore-interrupt", null, "Ignore Ctrl+C (SIGINT); stop on SIGTERM only. For a sandbox started behind a shell, such as by Start-FinqLinkSandbox.",
            (o, _) => o.IgnoreInterrupt = true),
        new("--exit-on-stdin-close", null, "Stop when standard input closes: the process that started the sandbox holds it, so the sandbox ends when that process dies, however it dies.",
            (o, _) => o.ExitOnStdinClose = true),
        new("--starter-log", "<file>", "The file the starting process logs this sandbox's output to; with --exit-on-stdin-close it is deleted when the starter dies.",
            (o, v) => o.StarterLog = v),
    };

    public static IReadOnlyList<string> OptionNames => Options.Select(o => o.Name).ToArray();

    public static string Help
    {
        get
        {
            var text = new StringBuilder()
                .AppendLine("FinqLink local sandbox: an offline emulator of the FinqLink API (Pay and Data).")
                .AppendLine()
                .AppendLine("Usage: finqlink-sandbox [options]")
                .AppendLine("       (from a clone of the repository: dotnet run --project src/FinqLink.Sandbox -- [options])")
                .AppendLine();
            foreach (var option in Options) text.AppendLine($"  {(option.Name + " " + option.Value).TrimEnd(),-34} {option.Description}");
            return text
                .AppendLine($"  {"--help",-34} Show this help.")
                .AppendLine()
                .AppendLine("Built-in client: client_id \"demo\", client_secret \"demo-secret\". Token endpoint: /oauth2/v1/token. Control API: /sandbox/.")
                .ToString();
        }
    }

    /// <summary>Reads the command line; a bad option or value is an ArgumentException whose message says what to fix.</summary>
    public static SandboxOptions Parse(IReadOnlyList<string> args)
    {
        var options = new SandboxOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var option = Options.FirstOrDefault(o => o.Name == args[i]) ?? throw new ArgumentException($"Unknown option {args[i]}; see --help.");
            if (option.Value is not null && i + 1 >= args.Count) throw new ArgumentException($"{option.Name} needs a value {option.Value}.");
            try { option.Apply(options, option.Value is null ? "" : args[++i]); }
            catch (FormatException e) { throw new ArgumentException($"{option.Name}: {e.Message}"); }
        }
        if (options.ClientsFile is { } file && !File.Exists(file)) throw new ArgumentException($"--clients: {file} does not exist.");
        options.Validate();
        return options;
    }

    /// <summary>Checks the options as a whole (the host calls it too, for options built in code).</summary>
    public void Validate()
    {
        ListenAddresses.Check(Urls, AllowRemote);
        if (Urls.Any(u => u.StartsWith("https:", StringComparison.OrdinalIgnoreCase)) && HttpsCertificate is null)
            throw new ArgumentException("--urls: https:// URLs need --https-certificate.");
        if (BaseUrl is not null && (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
            throw new ArgumentException($"--base-url: '{BaseUrl}' is not an absolute http or https URL.");
        if (TokenLifetime < MinTokenLifetime || TokenLifetime > MaxTokenLifetime)
            throw new ArgumentException($"--token-lifetime: must be from {MinTokenLifetime.TotalSeconds.ToString(CultureInfo.InvariantCulture)} to {MaxTokenLifetime.TotalSeconds:0} seconds.");
        if (TransactionsPerConsent is < 0 or > MaxTransactionsPerConsent) throw new ArgumentException($"--transactions: must be from 0 to {MaxTransactionsPerConsent}.");
        if (JobCooldown < TimeSpan.Zero || BankStepDelay < TimeSpan.Zero || JobStepDelay < TimeSpan.Zero)
            throw new ArgumentException("--job-cooldown, --bank-step-delay and --job-step-delay must not be negative.");
        if (ClockOffset.Duration() > SandboxClock.MaxOffset) throw new ArgumentException($"--clock-offset: must be within ±{SandboxClock.MaxOffset.TotalSeconds:0} seconds.");
        var unknown = FundsConfirmationProviders.FirstOrDefault(p => ProviderCatalog.Find(p) is null);
        if (unknown is not null) throw new ArgumentException($"--funds-confirmation: '{unknown}' is not a sandbox provider ({string.Join(", ", ProviderCatalog.All.Select(p => p.ProviderId))}).");
    }

    /// <summary>Seconds as a TimeSpan, to the millisecond; a value too large for one is left for the range check to refuse.</summary>
    public static TimeSpan ToLifetime(double seconds) =>
        seconds < MaxTokenLifetime.TotalSeconds * 2 ? TimeSpan.FromMilliseconds(Math.Round(seconds * 1000)) : MaxTokenLifetime * 2;

    private static double Fraction(string text, string option) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n)
            ? n : throw new ArgumentException($"{option} takes a number of seconds such as 3600 or 0.1, not '{text}'.");

    private static int Whole(string text, string option) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new ArgumentException($"{option} takes a whole number, not '{text}'.");

    private static int Signed(string text, string option) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : throw new ArgumentException($"{option} takes a whole number of seconds, not '{text}'.");
}
