using System;
using System.Diagnostics;
using System.Management.Automation;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Http;
using FinqLink.Ledger;
using FinqLink.PowerShell.Infrastructure;
using FinqLink.Webhooks;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>
    /// Listens for FinqLink's webhooks (on loopback unless told otherwise) and writes each verified one as a typed event,
    /// marked IsDuplicate when its body was taken before; forged or tampered ones are answered 401 and written nowhere.
    /// Runs until -Count, -TimeoutSec or Ctrl+C.
    /// </summary>
    [Cmdlet(VerbsCommunications.Receive, "FinqWebhook", DefaultParameterSetName = PortSet)]
    [OutputType(typeof(LinkStatusUpdate), typeof(ConsentStatusUpdate), typeof(DataRefreshStatusUpdate), typeof(WebhookEvent))]
    public sealed class ReceiveFinqWebhookCommand : FinqCmdlet
    {
        private const string PortSet = "Port", PrefixSet = "Prefix";
        private const int MaxDuplicateWindowSec = 7 * 86400;

        /// <summary>The port to listen on, on loopback (127.0.0.1) unless -ListenAddress says otherwise.</summary>
        [Parameter(Position = 0, ParameterSetName = PortSet)]
        [ValidateRange(1, 65535)]
        public int Port { get; set; } = 8080;

        /// <summary>The local address to listen on: 0.0.0.0 for every interface (a container), or one interface's address. Beyond loopback, a warning says so.</summary>
        [Parameter(ParameterSetName = PortSet)]
        public IPAddress ListenAddress { get; set; } = IPAddress.Loopback;

        /// <summary>The exact address to listen on, e.g. http://127.0.0.1:8080/finqlink/ (must end with /); + or * is every interface.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PrefixSet)]
        [ValidatePattern("^http://.+/$")]
        public string Prefix { get; set; } = "";

        /// <summary>Senders admitted: addresses, CIDR ranges, or the presets Test and Production (FinqLink's documented outbound addresses). Others get 403 before their body is read.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? AllowedSourceAddress { get; set; }

        /// <summary>Reverse proxies (addresses or CIDR ranges) whose X-Forwarded-For names the sender. Nobody else's is believed.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? TrustedProxy { get; set; }

        /// <summary>How long a taken webhook's body is remembered, to mark a redelivery IsDuplicate (0 turns it off).</summary>
        [Parameter]
        [ValidateRange(0, MaxDuplicateWindowSec)]
        public int DuplicateWindowSec { get; set; } = 86400;

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

        /// <summary>A bulk run's journal: status events of its links are recorded in it, and IsDuplicate is remembered across restarts. Held only while a webhook is recorded.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? JournalPath { get; set; }

        private WebhookJournal? _journal;

        protected override void EndProcessing()
        {
            var options = ListenerOptions();
            Func<string, CancellationToken, Task<WebhookKey?>> findKey;
            if (Jwks != null)
            {
                var keys = WebhookKeyArguments.From(Jwks);
                findKey = (kid, _) => Task.FromResult(keys.Find(kid));
            }
            else findKey = Client.WebhookKeys.FindAsync;
            if (ForwardTo != null && !ForwardTo.IsAbsoluteUri) ThrowTerminatingError(new ErrorRecord(new ArgumentException($"ForwardTo: '{ForwardTo}' must be an absolute URL."), "FinqLink.InvalidArgument", ErrorCategory.InvalidArgument, ForwardTo));

            if (JournalPath != null) options.Duplicates = _journal = OpenJournal();
            using var listener = new WebhookListener(options, findKey, ForwardTo, Queue);
            if (options.BeyondLoopback)
            {
                WriteWarning($"Receive-FinqWebhook listens on {listener.Url}: other machines can reach it. Forged webhooks are refused, but "
                    + (options.AllowedSources.IsEmpty ? "admit only FinqLink with -AllowedSourceAddress Production (or Test), and " : "")
                    + "put a reverse proxy with TLS in front of it (see Get-Help Receive-FinqWebhook -Full).");
            }
            try { listener.Start(); }
            catch (System.IO.IOException e) { ThrowTerminatingError(ErrorRecords.From(e, listener.Url)); }
            this.WriteVerboseIfRequested($"Listening for FinqLink webhooks on {listener.Url}{(options.BeyondLoopback ? "" : " (loopback only)")}"
                + (options.AllowedSources.IsEmpty ? "" : $", admitting {options.AllowedSources}")
                + (options.TrustedProxies.IsEmpty ? "" : $", X-Forwarded-For from {options.TrustedProxies}")
                + (ForwardTo != null ? $", relaying them to {Redactor.RedactUrl(ForwardTo)}" : "")
                + $"; headers within {options.HeaderTimeout.TotalSeconds} s, bodies within {options.BodyTimeout.TotalSeconds} s, {options.MaxConnections} connections at most"
                + $", {options.MaxWaitingWebhooks} verified webhooks waiting for the pipeline at most, {options.PipelineTimeout.TotalSeconds} s each"
                + $", duplicates remembered for {DuplicateWindowSec} s.");

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
                        if (received.Forwarded.Contains(" -> 2")) this.WriteVerboseIfRequested(received.Forwarded);
                        else WriteWarning($"Forwarding {received.Event}: {received.Forwarded}");
                    }
                    // WriteObject returns once the rest of the pipeline has handled the event; only then is it answered 204.
                    // If the pipeline stops or fails meanwhile, disposing declines it (503) and FinqLink delivers it again.
                    WriteObject(received.Event);
                    if (_journal != null && !Recorded(received)) continue; // declined (503): FinqLink delivers it again
                    received.Acknowledge();
                }
            }
            this.WriteVerboseIfRequested($"Receive-FinqWebhook: {listener.Accepted} accepted, {listener.Refused} refused, {listener.TimedOut} timed out, {listener.Evicted} closed at the cap, {listener.Deferred} answered 503 for a busy pipeline in {clock.Elapsed.TotalSeconds:0} s.");
        }

        private WebhookListenerOptions ListenerOptions()
        {
            var options = new WebhookListenerOptions { EndPoint = new IPEndPoint(ListenAddress, Port) };
            if (ParameterSetName == PrefixSet) (options.EndPoint, options.Path) = Read(nameof(Prefix), () => WebhookListenerOptions.ParsePrefix(Prefix));
            if (AllowedSourceAddress != null) options.AllowedSources = Read(nameof(AllowedSourceAddress), () => AddressList.Parse(AllowedSourceAddress));
            if (TrustedProxy != null) options.TrustedProxies = Read(nameof(TrustedProxy), () => AddressList.Parse(TrustedProxy));
            options.Duplicates = new DuplicateWindow(TimeSpan.FromSeconds(DuplicateWindowSec), DuplicateWindow.DefaultCapacity);
            return options;
        }

        private WebhookJournal OpenJournal()
        {
            var journal = new WebhookJournal(JournalLocation.Resolve(this, JournalPath!), TimeSpan.FromSeconds(DuplicateWindowSec));
            try { Queue.Await(async () => { await journal.LoadAsync(StopToken).ConfigureAwait(false); return true; }, StopToken); }
            catch (Exception e) when (e is System.IO.IOException || e is FormatException || e is UnauthorizedAccessException) { ThrowTerminatingError(ErrorRecords.From(e, JournalPath)); }
            return journal;
        }

        /// <summary>Records a webhook the pipeline took in the journal, before it is answered; false (with a warning) when it could not be.</summary>
        private bool Recorded(ReceivedWebhook received)
        {
            try
            {
                var recorded = Queue.Await(() => _journal!.RecordAsync(received.Event, received.BodyDigest, StopToken), StopToken);
                if (recorded != null) this.WriteVerboseIfRequested($"Journal: {recorded}.");
                return true;
            }
            catch (Exception e) when (e is System.IO.IOException || e is FormatException || e is UnauthorizedAccessException)
            {
                WriteWarning($"{received.Event} was not recorded in {JournalPath} ({e.Message}); it is answered 503, so FinqLink delivers it again.");
                return false;
            }
        }

        private T Read<T>(string parameter, Func<T> parse)
        {
            try { return parse(); }
            catch (FormatException e)
            {
                ThrowTerminatingError(new ErrorRecord(new ArgumentException($"{parameter}: {e.Message}", e), "FinqLink.InvalidArgument", ErrorCategory.InvalidArgument, null));
                throw; // not reached: ThrowTerminatingError throws
            }
        }
    }
}
