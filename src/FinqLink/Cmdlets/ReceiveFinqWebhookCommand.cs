using System;
using System.Diagnostics;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.PowerShell.Infrastructure;
using FinqLink.Webhooks;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>
    /// Listens for FinqLink's webhooks on a local address and writes each verified one as a typed event; forged or
    /// tampered ones are answered 401 and written nowhere. Runs until -Count, -TimeoutSec or Ctrl+C.
    /// </summary>
    [Cmdlet(VerbsCommunications.Receive, "FinqWebhook", DefaultParameterSetName = PortSet)]
    [OutputType(typeof(LinkStatusUpdate), typeof(ConsentStatusUpdate), typeof(DataRefreshStatusUpdate), typeof(WebhookEvent))]
    public sealed class ReceiveFinqWebhookCommand : FinqCmdlet
    {
        private const string PortSet = "Port", PrefixSet = "Prefix";

        /// <summary>The port to listen on, on every interface (http://+:&lt;port&gt;/).</summary>
        [Parameter(Position = 0, ParameterSetName = PortSet)]
        [ValidateRange(1, 65535)]
        public int Port { get; set; } = 8080;

        /// <summary>The exact address to listen on, e.g. http://127.0.0.1:8080/finqlink/ (must end with /).</summary>
        [Parameter(Mandatory = true, ParameterSetName = PrefixSet)]
        [ValidatePattern("^https?://.+/$")]
        public string Prefix { get; set; } = "";

        /// <summary>Stop after this many verified webhooks.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int Count { get; set; }

        /// <summary>Stop after this many seconds.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int TimeoutSec { get; set; }

        /// <summary>Relays every verified webhook (raw body and signature headers) to this URL, like stripe listen --forward-to.</summary>
        [Parameter]
        public Uri? ForwardTo { get; set; }

        /// <summary>The keys to trust: a JWKS document (JSON) or Get-FinqWebhookKey output. By default the session's JWKS, fetched and cached.</summary>
        [Parameter]
        public object? Jwks { get; set; }

        protected override void EndProcessing()
        {
            var prefix = ParameterSetName == PrefixSet ? Prefix : $"http://+:{Port}/";
            Func<string, CancellationToken, Task<WebhookKey?>> findKey;
            if (Jwks != null)
            {
                var keys = WebhookKeyArguments.From(Jwks);
                findKey = (kid, _) => Task.FromResult(keys.Find(kid));
            }
            else findKey = Client.WebhookKeys.FindAsync;
            if (ForwardTo != null && !ForwardTo.IsAbsoluteUri) ThrowTerminatingError(new ErrorRecord(new ArgumentException($"ForwardTo: '{ForwardTo}' must be an absolute URL."), "FinqLink.InvalidArgument", ErrorCategory.InvalidArgument, ForwardTo));

            using var listener = new WebhookListener(prefix, findKey, ForwardTo, Queue);
            try { listener.Start(); }
            catch (System.IO.IOException e) { ThrowTerminatingError(ErrorRecords.From(e, prefix)); }
            WriteVerbose($"Listening for FinqLink webhooks on {prefix}" + (ForwardTo != null ? $", relaying them to {ForwardTo}" : "") + ".");

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(StopToken);
            if (TimeoutSec > 0) deadline.CancelAfter(TimeSpan.FromSeconds(TimeoutSec));
            var clock = Stopwatch.StartNew();
            while (Count == 0 || listener.Accepted < Count)
            {
                ReceivedWebhook received;
                try { received = Queue.Await(() => listener.NextAsync(deadline.Token), deadline.Token); }
                catch (OperationCanceledException) { break; }
                using (received)
                {
                    if (received.Forwarded != null)
                    {
                        if (received.Forwarded.Contains(" -> 2")) WriteVerbose(received.Forwarded);
                        else WriteWarning($"Forwarding {received.Event}: {received.Forwarded}");
                    }
                    // WriteObject returns once the rest of the pipeline has handled the event; only then is it answered 204.
                    // If the pipeline stops or fails meanwhile, disposing declines it (503) and FinqLink delivers it again.
                    WriteObject(received.Event);
                    received.Acknowledge();
                }
            }
            WriteVerbose($"Receive-FinqWebhook: {listener.Accepted} accepted, {listener.Refused} refused in {clock.Elapsed.TotalSeconds:0} s.");
        }
    }
}
