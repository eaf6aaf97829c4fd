using System;
using System.Collections.Generic;
using System.Globalization;

namespace FinqLink.LocalSandbox
{
    /// <summary>The sandbox's command-line options a test or a runbook rehearsal usually needs.</summary>
    public sealed class SandboxStartOptions
    {
        /// <summary>0 picks a free loopback port.</summary>
        public int Port { get; set; }
        public IList<string> Faults { get; } = new List<string>();
        public TimeSpan? TokenLifetime { get; set; }
        public TimeSpan? ClockOffset { get; set; }
        public int? Seed { get; set; }
        public int? TransactionsPerConsent { get; set; }
        public TimeSpan? BankStepDelay { get; set; }
        public TimeSpan? JobStepDelay { get; set; }
        public TimeSpan? JobCooldown { get; set; }
        public string? ClientsFile { get; set; }
        /// <summary>Further options, passed as they are (see finqlink-sandbox --help).</summary>
        public IList<string> ExtraArguments { get; } = new List<string>();

        public IReadOnlyList<string> ToArguments()
        {
            // Ctrl+C at the prompt stops the command there, not the sandbox behind it (stopping sends SIGTERM or kills it).
            var args = new List<string> { "--urls", "http://127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture), "--ignore-interrupt" };
            foreach (var fault in Faults) { args.Add("--fault"); args.Add(fault); }
            Add(args, "--token-lifetime", FractionalSeconds(TokenLifetime));
            Add(args, "--clock-offset", Seconds(ClockOffset));
            Add(args, "--seed", Seed?.ToString(CultureInfo.InvariantCulture));
            Add(args, "--transactions", TransactionsPerConsent?.ToString(CultureInfo.InvariantCulture));
            Add(args, "--bank-step-delay", Milliseconds(BankStepDelay));
            Add(args, "--job-step-delay", Milliseconds(JobStepDelay));
            Add(args, "--job-cooldown", Seconds(JobCooldown));
            Add(args, "--clients", ClientsFile);
            args.AddRange(ExtraArguments);
            return args;
        }

        private static void Add(List<string> args, string name, string? value)
        {
            if (value == null) return;
            args.Add(name);
            args.Add(value);
        }

        private static string? Seconds(TimeSpan? value) => value == null ? null : ((long)Math.Round(value.Value.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        /// <summary>Seconds to the millisecond: token lifetimes go down to 0.1 s.</summary>
        private static string? FractionalSeconds(TimeSpan? value) =>
            value == null ? null : Math.Round(value.Value.TotalSeconds, 3).ToString("0.###", CultureInfo.InvariantCulture);
        private static string? Milliseconds(TimeSpan? value) => value == null ? null : ((long)Math.Round(value.Value.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
    }
}
