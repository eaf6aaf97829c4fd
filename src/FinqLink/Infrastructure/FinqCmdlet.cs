using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Http;
using FinqLink.Paging;

namespace FinqLink.PowerShell.Infrastructure
{
    /// <summary>
    /// Base of every cmdlet that talks to FinqLink: resolves the session (-Session, else the runspace's default),
    /// cancels in-flight calls on Ctrl+C or when downstream stops, and routes client logs to -Verbose/-Debug.
    /// </summary>
    [SuppressMessage("Design", "CA1001", Justification = "A CancellationTokenSource with no timer holds no unmanaged state; disposing it could race StopProcessing, which PowerShell may call at any time.")]
    public abstract class FinqCmdlet : PSCmdlet
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private PipelineQueue? _queue;

        /// <summary>The session to use; defaults to the one Connect-FinqLink set in this runspace.</summary>
        [Parameter]
        public FinqLinkSession? Session { get; set; }

        internal CancellationToken StopToken => _stopping.Token;

        internal PipelineQueue Queue => _queue ??= new PipelineQueue(WriteVerbose, WriteDebug, WriteWarning, VerboseRequested, DebugRequested);

        internal FinqLinkClient Client => ResolveSession().Client;

        internal RequestOptions Logged => new RequestOptions { Log = Queue };

        protected FinqLinkSession ResolveSession()
        {
            var session = Session ?? SessionStore.Current;
            if (session != null && session.Connected) return session;
            ThrowTerminatingError(new ErrorRecord(
                new InvalidOperationException(session == null
                    ? "Not connected to FinqLink. Run Connect-FinqLink first, or pass -Session."
                    : $"The session {session} was disconnected (Disconnect-FinqLink). Run Connect-FinqLink again."),
                "FinqLink.NotConnected", ErrorCategory.InvalidOperation, null));
            return null!;
        }

        /// <summary>
        /// Runs async client work while the pipeline thread keeps writing its logs; rethrows its failure. The session is
        /// resolved here, on the pipeline thread, where the runspace is known.
        /// </summary>
        internal T Run<T>(Func<FinqLinkClient, RequestOptions, CancellationToken, Task<T>> work)
        {
            var client = Client;
            var options = Logged;
            return Queue.Await(() => work(client, options, StopToken), StopToken);
        }

        /// <summary>
        /// Streams a paged list, honouring -First/-Skip and showing progress: the items <paramref name="keep"/> keeps (all
        /// by default), each written as <paramref name="map"/> makes it (itself by default).
        /// </summary>
        internal void WritePages<T>(string activity, int pageSize, Func<FinqLinkClient, PageOptions, RequestOptions, CancellationToken, PagedList<T>> list,
            Func<T, object?>? map = null, Func<T, bool>? keep = null)
        {
            var client = Client;
            var options = Logged;
            Paged.Write(this, activity, pageSize, paging => list(client, paging, options, StopToken), map, keep);
        }

        /// <summary>
        /// Streams one consent's paged data (its balances, its transactions) as <see cref="WritePages"/> does: a bad filter
        /// value or an API failure is that consent's error, and the other consents piped in go on.
        /// </summary>
        internal void WriteConsentPages<T>(string consentId, string what, int pageSize, Func<FinqLinkClient, PageOptions, RequestOptions, CancellationToken, PagedList<T>> list)
        {
            try { WritePages("Listing " + what + " of " + consentId, pageSize, list); }
            catch (Exception e) when (!(e is PipelineStoppedException)) { WriteItemError(e, consentId); }
        }

        /// <summary>A non-terminating error for one input item: the rest of the pipeline goes on.</summary>
        protected void WriteItemError(Exception exception, object? target) => WriteError(ErrorRecords.From(Unwrap(exception), target));

        private HashSet<string>? _fromCommandLine;

        /// <summary>Call in BeginProcessing: the parameters bound then came from the command line, not from piped rows.</summary>
        protected void NoteCommandLineParameters() => _fromCommandLine = new HashSet<string>(MyInvocation.BoundParameters.Keys, StringComparer.OrdinalIgnoreCase);

        /// <summary>
        /// The property of a piped row that a parameter bound from: the parameter's own name or one of its aliases (a CSV's
        /// Iban column for -CreditorIban), as the row spells it; null when the row has none.
        /// </summary>
        protected string? ColumnOf(object? row, string parameter)
        {
            if (_fromCommandLine != null && _fromCommandLine.Contains(parameter)) return null;
            if (!(row is PSObject input) || !MyInvocation.MyCommand.Parameters.TryGetValue(parameter, out var metadata)) return null;
            foreach (var name in new[] { parameter }.Concat(metadata.Aliases))
                if (input.Properties[name] is PSPropertyInfo property) return property.Name;
            return null;
        }

        protected static Exception Unwrap(Exception e) => e is AggregateException a && a.InnerExceptions.Count == 1 ? a.InnerExceptions[0] : e;

        protected override void StopProcessing() => _stopping.Cancel();

        private bool DebugRequested => Requested(this, "Debug");

        private bool VerboseRequested => Requested(this, "Verbose");

        /// <summary>
        /// Whether the cmdlet's Verbose or Debug stream is read: its switch when given, else the preference variable, which a
        /// script often sets as a string ($VerbosePreference = 'Continue' in a function makes a new, untyped variable).
        /// </summary>
        internal static bool Requested(PSCmdlet cmdlet, string stream) =>
            cmdlet.MyInvocation.BoundParameters.TryGetValue(stream, out var on) ? ((SwitchParameter)on).IsPresent
            : LanguagePrimitives.TryConvertTo(cmdlet.GetVariableValue(stream + "Preference"), out ActionPreference p) && p != ActionPreference.SilentlyContinue;
    }
}
