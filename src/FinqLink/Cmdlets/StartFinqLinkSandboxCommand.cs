using System;
using System.IO;
using System.Management.Automation;
using FinqLink.LocalSandbox;
using FinqLink.PowerShell.Infrastructure;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>
    /// Starts the local FinqLink sandbox (the finqlink-sandbox .NET tool) on a free loopback port and waits until it
    /// answers. The output pipes into Connect-FinqLink.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "FinqLinkSandbox")]
    [OutputType(typeof(FinqLinkSandbox))]
    public sealed class StartFinqLinkSandboxCommand : SandboxCmdlet
    {
        /// <summary>The sandbox to run: finqlink-sandbox (or .exe), FinqLink.Sandbox.dll or their folder. By default it is looked up.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        [Parameter]
        [ValidateRange(0, 65535)]
        public int Port { get; set; }

        /// <summary>Fault rules in the sandbox's syntax, e.g. 'links/create:fail-before=0.2,latency=50'.</summary>
        [Parameter]
        public string[]? Fault { get; set; }

        /// <summary>Access-token lifetime in seconds, fractions allowed down to 0.1 (to stress renewal).</summary>
        [Parameter]
        [ValidateRange(0.1, 86400.0)]
        public double TokenLifetimeSec { get; set; }

        /// <summary>Runs the sandbox's clock this many seconds ahead of (or, negative, behind) this machine's.</summary>
        [Parameter]
        [ValidateRange(-31536000, 31536000)]
        public int ClockOffsetSec { get; set; }

        [Parameter]
        public int Seed { get; set; }

        [Parameter]
        [ValidateRange(0, 10000000)]
        public int TransactionsPerConsent { get; set; }

        [Parameter]
        [ValidateRange(0, 600000)]
        public int BankStepDelayMs { get; set; }

        [Parameter]
        [ValidateRange(0, 600000)]
        public int JobStepDelayMs { get; set; }

        [Parameter]
        [ValidateRange(0, 86400)]
        public int JobCooldownSec { get; set; }

        /// <summary>A JSON file of API clients to register at start (see about_FinqLink_Sandbox).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ClientsPath { get; set; }

        /// <summary>Further sandbox options, as finqlink-sandbox --help lists them.</summary>
        [Parameter]
        public string[]? ArgumentList { get; set; }

        [Parameter]
        [ValidateRange(1, 600)]
        public int TimeoutSec { get; set; } = 60;

        protected override void EndProcessing()
        {
            var options = Options();
            SandboxCommand command;
            try { command = SandboxCommand.Find(Path == null ? null : Resolve(Path), SessionState.Path.CurrentFileSystemLocation.ProviderPath); }
            catch (FileNotFoundException e)
            {
                ThrowTerminatingError(new ErrorRecord(e, "FinqLink.Sandbox.NotInstalled", ErrorCategory.ObjectNotFound, Path));
                return;
            }
            this.WriteVerboseIfRequested($"Starting the sandbox: {command.Description} {string.Join(" ", options.ToArguments())}");
            SandboxProcess process;
            try { process = Await(ct => SandboxProcess.StartAsync(command, options, TimeSpan.FromSeconds(TimeoutSec), ct)); }
            catch (Exception e) when (e is InvalidOperationException || e is FileNotFoundException)
            {
                ThrowTerminatingError(new ErrorRecord(e, "FinqLink.Sandbox.StartFailed", ErrorCategory.OpenError, command.Description));
                return;
            }
            var sandbox = new FinqLinkSandbox(process);
            SandboxStore.Add(sandbox);
            this.WriteVerboseIfRequested($"Sandbox {sandbox.BaseUri} (process {sandbox.ProcessId}); its output goes to {sandbox.LogPath}.");
            WriteObject(sandbox);
        }

        private SandboxStartOptions Options()
        {
            var bound = MyInvocation.BoundParameters;
            var options = new SandboxStartOptions
            {
                Port = Port,
                TokenLifetime = bound.ContainsKey(nameof(TokenLifetimeSec)) ? TimeSpan.FromSeconds(TokenLifetimeSec) : (TimeSpan?)null,
                ClockOffset = bound.ContainsKey(nameof(ClockOffsetSec)) ? TimeSpan.FromSeconds(ClockOffsetSec) : (TimeSpan?)null,
                Seed = bound.ContainsKey(nameof(Seed)) ? Seed : (int?)null,
                TransactionsPerConsent = bound.ContainsKey(nameof(TransactionsPerConsent)) ? TransactionsPerConsent : (int?)null,
                BankStepDelay = bound.ContainsKey(nameof(BankStepDelayMs)) ? TimeSpan.FromMilliseconds(BankStepDelayMs) : (TimeSpan?)null,
                JobStepDelay = bound.ContainsKey(nameof(JobStepDelayMs)) ? TimeSpan.FromMilliseconds(JobStepDelayMs) : (TimeSpan?)null,
                JobCooldown = bound.ContainsKey(nameof(JobCooldownSec)) ? TimeSpan.FromSeconds(JobCooldownSec) : (TimeSpan?)null,
                ClientsFile = ClientsPath == null ? null : Resolve(ClientsPath),
            };
            foreach (var rule in Fault ?? Array.Empty<string>()) options.Faults.Add(rule);
            foreach (var argument in ArgumentList ?? Array.Empty<string>()) options.ExtraArguments.Add(argument);
            return options;
        }

        private string Resolve(string path) => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
    }
}
