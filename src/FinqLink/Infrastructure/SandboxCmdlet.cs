using System;
using System.Diagnostics.CodeAnalysis;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace FinqLink.PowerShell.Infrastructure
{
    /// <summary>Base of the local-sandbox cmdlets: the sandbox to stop (<see cref="StopTarget"/>) or to control (<see cref="ControlTarget"/>).</summary>
    [SuppressMessage("Design", "CA1001", Justification = "A CancellationTokenSource with no timer holds no unmanaged state; disposing it could race StopProcessing, which PowerShell may call at any time.")]
    public abstract class SandboxCmdlet : PSCmdlet
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();

        internal CancellationToken StopToken => _stopping.Token;

        /// <summary>The sandbox Stop-FinqLinkSandbox stops (see <see cref="SandboxTarget.Started"/>); stops the cmdlet when that is unclear.</summary>
        protected FinqLinkSandbox StopTarget(FinqLinkSandbox? given)
        {
            try { return SandboxTarget.Started(given, SessionStore.Current, "-Sandbox"); }
            catch (InvalidOperationException e)
            {
                ThrowTerminatingError(new ErrorRecord(e, "FinqLink.Sandbox.Unclear", ErrorCategory.InvalidOperation, null));
                return null!;
            }
        }

        /// <summary>The base URI of the sandbox a control cmdlet acts on (see <see cref="SandboxTarget"/>); stops the cmdlet when that is unclear.</summary>
        protected Uri ControlTarget(Uri? baseUri, FinqLinkSandbox? given)
        {
            try { return SandboxTarget.Resolve(baseUri, given, SessionStore.Current); }
            catch (InvalidOperationException e)
            {
                ThrowTerminatingError(new ErrorRecord(e, "FinqLink.Sandbox.Unclear", ErrorCategory.InvalidOperation, null));
                return null!;
            }
        }

        /// <summary>Waits for <paramref name="work"/> on the pipeline thread; Ctrl+C cancels it.</summary>
        protected T Await<T>(Func<CancellationToken, Task<T>> work)
        {
            try { return Task.Run(() => work(StopToken)).GetAwaiter().GetResult(); }
            catch (OperationCanceledException) when (StopToken.IsCancellationRequested) { throw new PipelineStoppedException(); }
        }

        protected override void StopProcessing() => _stopping.Cancel();
    }
}
