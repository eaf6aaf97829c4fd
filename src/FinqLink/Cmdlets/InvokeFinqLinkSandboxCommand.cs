using System;
using System.Collections;
using System.Linq;
using System.Management.Automation;
using FinqLink.LocalSandbox;
using FinqLink.PowerShell.Infrastructure;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>
    /// Drives the local sandbox's control API (not part of FinqLink): plays the payer or account holder, sets faults,
    /// rotates webhook keys, reads counters. Talks only to loopback addresses.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "FinqLinkSandbox", DefaultParameterSetName = ActionSet)]
    [OutputType(typeof(PSObject))]
    [OutputType(typeof(FinqLink.Models.PaymentLink), typeof(FinqLink.Models.Data.Consent), ParameterSetName = new[] { TriggerSet })]
    public sealed partial class InvokeFinqLinkSandboxCommand : SandboxCmdlet
    {
        private const string ActionSet = "Action", PathSet = "Path";
        internal const string StatsTypeName = "FinqLink.SandboxStats";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ActionSet)]
        [ArgumentCompleter(typeof(SandboxActionCompleter))]
        public string Action { get; set; } = "";

        /// <summary>The link, consent or job the action is for; binds from LinkId, ConsentId or JobId of piped objects.</summary>
        [Parameter(Position = 1, ParameterSetName = ActionSet, ValueFromPipelineByPropertyName = true)]
        [Alias("LinkId", "ConsentId", "JobId")]
        public string? Id { get; set; }

        [Parameter(ParameterSetName = ActionSet)]
        public string? Status { get; set; }

        [Parameter(ParameterSetName = ActionSet)]
        [Parameter(ParameterSetName = TriggerSet)]
        [ArgumentCompleter(typeof(ProviderIdCompleter))]
        public string? ProviderId { get; set; }

        /// <summary>For ApproveLink and ApproveConsent: how the bank ends the flow (failed, funds_received, funds_rejected, suspended, job_failed, …).</summary>
        [Parameter(ParameterSetName = ActionSet)]
        public string? Scenario { get; set; }

        /// <summary>For SetClock (the offset) and AdvanceClock (how far).</summary>
        [Parameter(ParameterSetName = ActionSet)]
        public long? Seconds { get; set; }

        /// <summary>Fault rules in the sandbox's command-line syntax, for SetFaults.</summary>
        [Parameter(ParameterSetName = ActionSet)]
        public string[]? Fault { get; set; }

        /// <summary>A control-API path under /sandbox/, for operations without an action name.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PathSet)]
        [ValidatePattern("^[A-Za-z0-9_./{}-]+$")]
        public string Path { get; set; } = "";

        [Parameter(ParameterSetName = PathSet)]
        [ValidateSet("Get", "Post", "Delete")]
        public string Method { get; set; } = "Post";

        /// <summary>Further JSON fields of the request.</summary>
        [Parameter]
        public IDictionary? Body { get; set; }

        /// <summary>The sandbox to act on (piped or named); by default the session's, see <see cref="SandboxTarget"/>.</summary>
        [Parameter(ValueFromPipeline = true)]
        public FinqLinkSandbox? Sandbox { get; set; }

        /// <summary>A sandbox started elsewhere (another process, a container): its loopback base URI.</summary>
        [Parameter]
        public Uri? BaseUri { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == TriggerSet)
            {
                PlayScenario();
                return;
            }
            var target = ControlTarget(BaseUri, Sandbox);
            try
            {
                var control = new SandboxControlClient(target);
                var action = ParameterSetName == PathSet ? null : SandboxActions.Find(Action);
                var body = RequestBody(action);
                var answer = action == null
                    ? Await(ct => control.SendAsync(Method, Path, body, ct))
                    : Await(ct => control.SendAsync(action, Id, body, ct));
                var output = PSValues.FromPlain(answer);
                // The counters get a view (FinqLink.Format.ps1xml); other answers are plain objects.
                if (action?.Name == "GetStats" && output is PSObject stats) stats.TypeNames.Insert(0, StatsTypeName);
                if (output != null) WriteObject(output, enumerateCollection: true);
            }
            catch (Exception e) when (e is ArgumentException || e is InvalidOperationException || e is System.Net.Http.HttpRequestException)
            {
                WriteError(new ErrorRecord(e, "FinqLink.Sandbox.ControlFailed", ErrorCategory.InvalidOperation, Id ?? Path));
            }
        }

        /// <param name="action">The action, or null for -Path (whose body is -Body alone).</param>
        private IDictionary RequestBody(SandboxAction? action)
        {
            var extra = Body == null ? null : PSValues.ToPlainDictionary(Body);
            if (action == null) return extra ?? new Hashtable();
            var arguments = new SandboxActionArguments { Status = Status, ProviderId = ProviderId, Scenario = Scenario, Seconds = Seconds, Faults = Fault };
            return arguments.ToBody(action, extra);
        }
    }

    public sealed class SandboxActionCompleter : KnownValuesCompleter
    {
        protected override System.Collections.Generic.IEnumerable<string> ValuesFor(string parameterName) => SandboxActions.Names;
    }
}
