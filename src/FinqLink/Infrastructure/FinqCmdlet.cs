using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Http;

namespace FinqLink.PowerShell.Infrastructure
{
    /// <summary>
    /// Base of every cmdlet that talks to FinqLink: resolves the session (-Session, else the runspace's default),
    /// cancels in-flight calls on Ctrl+C or when downstream stops, and routes client logs to -Verbose/-Debug.
    /// </summary>
    public abstract class FinqCmdlet : PSCmdlet
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private PipelineQueue? _queue;

        /// <summary>The session to use; defaults to the one Connect-FinqLink set in this runspace.</summary>
        [Parameter]
        public FinqLinkSession? Session { get; set; }

        internal CancellationToken StopToken => _stopping.Token;

        internal PipelineQueue Queue => _queue ??= new PipelineQueue(WriteVerbose, WriteDebug, DebugRequested);

        internal FinqLinkClient Client => ResolveSession().Client;

        internal RequestOptions ReadOptions => new RequestOptions { Kind = RequestKind.Read, Log = Queue };

        protected FinqLinkSession ResolveSession()
        {
            var session = Session ?? SessionStore.Current;
            if (session != null) return session;
            ThrowTerminatingError(new ErrorRecord(
                new InvalidOperationException("Not connected to FinqLink. Run Connect-FinqLink first, or pass -Session."),
                "FinqLink.NotConnected", ErrorCategory.InvalidOperation, null));
            return null!;
        }

        /// <summary>
        /// Runs async client work while the pipeline thread keeps writing its logs; rethrows its failure. The session is
        /// resolved here, on the pipeline thread, where the runspace is known.
        /// </summary>
        protected T Run<T>(Func<FinqLinkClient, CancellationToken, Task<T>> work)
        {
            var client = Client;
            return Queue.Await(() => work(client, StopToken), StopToken);
        }

        /// <summary>Sends one request and reads the answer as <typeparamref name="T"/>, writing its logs meanwhile.</summary>
        protected T Send<T>(ApiRequest request) => Run((client, ct) => client.SendAsync<T>(request, ReadOptions, ct));

        /// <summary>Streams a paged list's items, each passed through <paramref name="decorate"/> first.</summary>
        protected void WritePages<T>(ApiRequest request, string itemsProperty, int pageSize, string activity, Action<T>? decorate = null)
        {
            var client = Client;
            Paged.Write(this, activity, pageSize, (size, prefetch, onPage) => client.Page<T>(request, itemsProperty, size, ReadOptions, onPage, StopToken, prefetch),
                item => { decorate?.Invoke(item); return item; });
        }

        /// <summary>A non-terminating error for one input item: the rest of the pipeline goes on.</summary>
        protected void WriteItemError(Exception exception, object? target) => WriteError(ErrorRecords.From(Unwrap(exception), target));

        protected static Exception Unwrap(Exception e) => e is AggregateException a && a.InnerExceptions.Count == 1 ? a.InnerExceptions[0] : e;

        protected override void StopProcessing() => _stopping.Cancel();

        private bool DebugRequested =>
            MyInvocation.BoundParameters.TryGetValue("Debug", out var d) && ((SwitchParameter)d).IsPresent
            || (GetVariableValue("DebugPreference") is ActionPreference p && p != ActionPreference.SilentlyContinue);
    }
}
