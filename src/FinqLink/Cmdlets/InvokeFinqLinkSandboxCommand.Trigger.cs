using System;
using System.Management.Automation;
using FinqLink.Http;
using FinqLink.LocalSandbox;
using FinqLink.PowerShell.Infrastructure;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>Invoke-FinqLinkSandbox -Trigger: a whole story for a new link or consent, in the manner of stripe trigger.</summary>
    public sealed partial class InvokeFinqLinkSandboxCommand
    {
        private const string TriggerSet = "Trigger";

        /// <summary>The scenario to play (LinkPaid, LinkFundsReceived, …, ConsentRevoked); tab completion lists them.</summary>
        [Parameter(Mandatory = true, ParameterSetName = TriggerSet)]
        [ArgumentCompleter(typeof(SandboxScenarioCompleter))]
        public string Trigger { get; set; } = "";

        /// <summary>Where the story's webhooks go; by default the sandbox's own receiver (/sandbox/webhooks/sink).</summary>
        [Parameter(ParameterSetName = TriggerSet)]
        public Uri? WebhookUrl { get; set; }

        /// <summary>The session that creates the link or consent; defaults to the one Connect-FinqLink set.</summary>
        [Parameter(ParameterSetName = TriggerSet)]
        public FinqLinkSession? Session { get; set; }

        private void PlayScenario()
        {
            try
            {
                var scenario = SandboxScenario.Find(Trigger);
                var session = ConnectedSession();
                var sandbox = SandboxOf(session);
                var control = new SandboxControlClient(sandbox);
                var hooks = WebhookUrl ?? new Uri(sandbox, "/sandbox/webhooks/sink");
                var queue = new PipelineQueue(WriteVerbose, WriteDebug, WriteWarning, FinqCmdlet.Requested(this, "Verbose"), FinqCmdlet.Requested(this, "Debug"));
                var player = new SandboxScenarioPlayer(session.Client, control, new RequestOptions { Log = queue }, queue.Verbose)
                {
                    CreateFields = Body == null ? null : PSValues.ToPlainDictionary(Body),
                };
                var result = queue.Await(() => player.PlayAsync(scenario, ProviderId, hooks.AbsoluteUri, StopToken), StopToken);
                var output = PSObject.AsPSObject(result.Final);
                output.Properties.Add(new PSNoteProperty("Webhooks", result.Webhooks));
                WriteObject(output);
            }
            catch (OperationCanceledException) when (StopToken.IsCancellationRequested) { throw new PipelineStoppedException(); }
            catch (Exception e) when (e is FinqLinkApiException || e is FinqLinkTransportException || e is FinqLinkResponseException
                || e is FinqLinkOutcomeUnknownException || e is FinqLinkCredentialException || e is FinqLink.Validation.FinqLinkValidationException)
            {
                WriteError(ErrorRecords.From(e, Trigger));
            }
            catch (Exception e) when (e is ArgumentException || e is InvalidOperationException || e is TimeoutException || e is System.Net.Http.HttpRequestException)
            {
                WriteError(new ErrorRecord(e, "FinqLink.Sandbox.ScenarioFailed", ErrorCategory.InvalidOperation, Trigger));
            }
        }

        private FinqLinkSession ConnectedSession()
        {
            var session = Session ?? SessionStore.Current;
            if (session != null && session.Connected) return session;
            ThrowTerminatingError(new ErrorRecord(
                new InvalidOperationException("Not connected: a scenario creates its link or consent through the API. Run '$sandbox | Connect-FinqLink' first, or pass -Session."),
                "FinqLink.NotConnected", ErrorCategory.InvalidOperation, null));
            return null!;
        }

        /// <summary>The sandbox the story is played in: the session's (it creates the link), which -Sandbox or -BaseUri may name but not change.</summary>
        private Uri SandboxOf(FinqLinkSession session)
        {
            var own = new Uri(session.BaseUri.GetLeftPart(UriPartial.Authority) + "/");
            var named = BaseUri ?? Sandbox?.BaseUri;
            if (named != null && Uri.Compare(named, own, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0)
                throw new ArgumentException($"Sandbox: the session creates links at {own}, not at {named}. Connect to that sandbox first ('$sandbox | Connect-FinqLink').");
            return own;
        }
    }

    public sealed class SandboxScenarioCompleter : KnownValuesCompleter
    {
        protected override System.Collections.Generic.IEnumerable<string> ValuesFor(string parameterName) => SandboxScenario.Names;
    }
}
