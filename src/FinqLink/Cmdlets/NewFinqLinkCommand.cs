using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Bulk;
using FinqLink.Http;
using FinqLink.Models;
using FinqLink.PowerShell.Infrastructure;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>
    /// Creates payment links, one per pipeline row, several at a time. Each create is sent once: one whose outcome is
    /// unknown is never retried blindly, and with -JournalPath a re-run creates only the rows still missing. When an
    /// outcome is unknown, sending pauses until the requests in flight finish and the journal has reconciled it, so
    /// only rows that were in flight together (each with its own expiry slot) can compete for a link.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "FinqLink", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(PaymentLink))]
    public sealed class NewFinqLinkCommand : FinqCmdlet, IDisposable
    {
        private static readonly TimeSpan SettleDelay = TimeSpan.FromMilliseconds(200);
        private readonly List<Task> _inFlight = new List<Task>();
        private readonly HashSet<string> _keysThisRun = new HashSet<string>(StringComparer.Ordinal);
        private readonly Dictionary<string, RowContext> _uncertainRows = new Dictionary<string, RowContext>(StringComparer.Ordinal);
        private AdaptiveConcurrencyLimiter? _limiter;
        private LinkJournal? _journal;
        private long _ordinal, _created, _failed;

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Sum", "Total", "InvoiceAmount", "AmountDue")]
        public decimal Amount { get; set; }

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Ccy", "CurrencyCode")]
        public string Currency { get; set; } = "";

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Beneficiary", "BeneficiaryName", "Payee", "PayeeName")]
        public string? CreditorName { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Iban", "BeneficiaryIban", "PayeeIban")]
        public string? CreditorIban { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("PayerIban")]
        public string? DebtorIban { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("PsuId")]
        public string? DebtorPsuId { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Description", "Details", "Memo", "Remittance")]
        public string? RemittanceInformation { get; set; }

        /// <summary>Your own id for the row (an invoice number): carried on the output and the journal's key.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("InvoiceNumber", "InvoiceId", "Invoice", "ExternalId")]
        public string? Reference { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Bank", "Provider")]
        public string[]? ProviderId { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateSet("retail", "corporate")]
        public string[]? RemitterType { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateSet("instant", "domestic", "SEPA")]
        public string[]? PaymentScheme { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateSet("sandbox", "stage", "prod")]
        public string[]? PaymentEnvironment { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateSet("link", "wrapped_sca", "direct_sca", "redirect_sca")]
        [Alias("Type")]
        public string? FlowType { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(UxTemplateCompleter))]
        [Alias("Template")]
        public string? UxTemplate { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? WebhookUrl { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? RedirectUrl { get; set; }

        /// <summary>How long the link stays usable (at most 45 days).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public TimeSpan? ExpiresIn { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public SwitchParameter UserEditable { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? TrackingUserId { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? TrackingCompanyId { get; set; }

        /// <summary>Extra or overriding body fields, for API fields this module has no parameter for.</summary>
        [Parameter]
        public IDictionary? AdditionalProperties { get; set; }

        /// <summary>The pipeline row itself, so errors and progress can point at it.</summary>
        [Parameter(ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }

        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 16;

        /// <summary>Records every row's outcome; re-running with the same file creates only what is missing.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? JournalPath { get; set; }

        protected override void BeginProcessing()
        {
            _limiter = new AdaptiveConcurrencyLimiter(ThrottleLimit);
            if (JournalPath == null) return;
            try
            {
                _journal = LinkJournal.Open(SessionState.Path.GetUnresolvedProviderPathFromPSPath(JournalPath));
                if (!MyInvocation.BoundParameters.ContainsKey("WhatIf")) ReconcilePreviousRun();
            }
            catch (Exception e) when (e is System.IO.IOException || e is FormatException || e is UnauthorizedAccessException)
            {
                ThrowTerminatingError(ErrorRecords.From(e, JournalPath));
            }
        }

        protected override void ProcessRecord()
        {
            var row = new RowContext((object?)InputObject ?? Reference, Reference, Amount, Currency, RemittanceInformation);
            ApiRequest request;
            string key;
            try
            {
                request = BuildRequest().ToRequest();
                key = Reference ?? request.Fingerprint();
            }
            catch (Exception e) when (e is ArgumentException || e is FormatException)
            {
                WriteItemError(e, row.Target);
                return;
            }
            if (!_keysThisRun.Add(key))
            {
                WriteItemError(new ArgumentException($"Reference: '{key}' appears twice in this run; each row needs its own reference (or distinct contents)."), row.Target);
                return;
            }
            if (_journal != null && AnsweredByJournal(key, row)) return;

            var ordinal = _ordinal++;
            long? expiresIn = null;
            if (_journal != null)
            {
                expiresIn = (long)ExpiryOffsets.For(ordinal, ExpiresIn).TotalSeconds;
                request = request.WithOption("expires_in", expiresIn.Value);
            }
            var target = $"{row.Reference ?? key}: {Money.Format(Amount)} {Currency.ToUpperInvariant()}";
            if (!ShouldProcess(request.ToString(), $"Create payment link {target}?", "Create payment link")) return;

            var client = Client;
            Queue.PumpUntil(() => { _inFlight.RemoveAll(t => t.IsCompleted); return _inFlight.Count < ThrottleLimit; }, StopToken);
            if (_uncertainRows.Count > 0)
            {
                Queue.PumpUntil(() => _inFlight.All(t => t.IsCompleted), StopToken);
                ReconcileThisRun();
            }
            if (StopToken.IsCancellationRequested) return;
            _inFlight.Add(Task.Run(() => CreateAsync(client, request, key, expiresIn, row)));
        }

        protected override void EndProcessing()
        {
            Queue.PumpUntil(() => _inFlight.All(t => t.IsCompleted), StopToken);
            if (_journal != null && _uncertainRows.Count > 0 && !StopToken.IsCancellationRequested) ReconcileThisRun();
            WriteProgress(new ProgressRecord(1, "Creating payment links", "Done") { RecordType = ProgressRecordType.Completed });
            WriteVerbose($"New-FinqLink: {_created} created, {_failed} failed.");
        }

        private async Task CreateAsync(FinqLinkClient client, ApiRequest request, string key, long? expiresIn, RowContext row)
        {
            var sentFrom = DateTimeOffset.UtcNow;
            try
            {
                _journal?.Pending(key, sentFrom, expiresIn);
                var options = new RequestOptions { Kind = RequestKind.Create, Log = Queue, Limiter = _limiter };
                var link = await client.SendAsync<PaymentLink>(request, options, StopToken).ConfigureAwait(false);
                // links/create answers without a status; a new link of the default flow is "created" by definition.
                if (link.Status == null && (FlowType == null || FlowType == "link")) link.Status = "created";
                row.Describe(link);
                _journal?.Created(key, link);
                Interlocked.Increment(ref _created);
                Queue.Post(() => { WriteObject(link); Progress(); });
            }
            catch (FinqLinkOutcomeUnknownException e) when (_journal != null)
            {
                _journal.Unknown(key, sentFrom, DateTimeOffset.UtcNow, expiresIn, e.Message);
                Queue.Post(() => _uncertainRows[key] = row);
            }
            catch (OperationCanceledException) when (StopToken.IsCancellationRequested) { }
            catch (Exception e)
            {
                var failure = Unwrap(e);
                if (!(failure is FinqLinkOutcomeUnknownException)) _journal?.NotCreated(key, failure.Message);
                Interlocked.Increment(ref _failed);
                Queue.Post(() => { WriteItemError(failure, row.Target); Progress(); });
            }
        }

        private bool AnsweredByJournal(string key, RowContext row)
        {
            var entry = _journal!.Find(key);
            if (entry == null || entry.State == JournalState.NotCreated) return false;
            if (entry.State == JournalState.Created)
            {
                var link = new PaymentLink { LinkId = entry.LinkId!, WebUrl = entry.WebUrl, Status = entry.Status, ExpiresAt = entry.ExpiresAt, FromJournal = true };
                row.Describe(link);
                WriteVerbose($"{key}: already created as {link.LinkId} (journal).");
                WriteObject(link);
                return true;
            }
            var message = entry.State == JournalState.Ambiguous
                ? $"{key}: {entry.Error} Check these links (Get-FinqLink -LinkId …) and edit the journal by hand."
                : $"{key}: the journal holds an unfinished attempt for this row that could not be reconciled; nothing was sent.";
            WriteItemError(new InvalidOperationException(message), row.Target);
            return true;
        }

        private void ReconcilePreviousRun()
        {
            foreach (var r in Reconcile())
                WriteVerbose($"Journal: {r.Key} from an earlier run is {r.Outcome}" + (r.Candidates.Length > 0 ? $" ({string.Join(", ", r.Candidates)})" : "") + ".");
        }

        private void ReconcileThisRun()
        {
            Thread.Sleep(SettleDelay);
            foreach (var result in Reconcile())
            {
                if (!_uncertainRows.TryGetValue(result.Key, out var row)) continue;
                _uncertainRows.Remove(result.Key);
                switch (result.Outcome)
                {
                    case ReconcileOutcome.Created:
                        row.Describe(result.Link!);
                        _created++;
                        WriteObject(result.Link);
                        break;
                    case ReconcileOutcome.NotCreated:
                        _failed++;
                        WriteItemError(new FinqLinkOutcomeUnknownException(
                            $"{result.Key}: the request failed and the server holds no link for it; run again with the same -JournalPath to create it.",
                            new InvalidOperationException("not created")), row.Target);
                        break;
                    default:
                        _failed++;
                        WriteItemError(new InvalidOperationException(
                            $"{result.Key}: a link may exist for this row but cannot be told apart from {string.Join(", ", result.Candidates)}; check them before re-running."), row.Target);
                        break;
                }
            }
        }

        private IReadOnlyList<ReconcileResult> Reconcile()
        {
            var options = ReadOptions;
            return Run((client, ct) => Task.FromResult(JournalReconciler.Reconcile(client, _journal!, options, ct)));
        }

        private CreateLinkRequest BuildRequest() => new CreateLinkRequest
        {
            Amount = Amount, Currency = Currency, CreditorName = CreditorName, CreditorIban = CreditorIban, DebtorIban = DebtorIban,
            DebtorPsuId = DebtorPsuId, RemittanceInformation = RemittanceInformation, ProviderId = ProviderId, RemitterType = RemitterType,
            PaymentScheme = PaymentScheme, PaymentEnvironment = PaymentEnvironment, FlowType = FlowType, UxTemplate = UxTemplate,
            WebhookUrl = WebhookUrl, RedirectUrl = RedirectUrl, ExpiresIn = ExpiresIn,
            UserEditable = MyInvocation.BoundParameters.ContainsKey(nameof(UserEditable)) ? UserEditable.IsPresent : (bool?)null,
            TrackingUserId = TrackingUserId, TrackingCompanyId = TrackingCompanyId,
            AdditionalProperties = AdditionalProperties == null ? null : PSValues.ToPlainDictionary(AdditionalProperties),
        };

        private void Progress() => WriteProgress(new ProgressRecord(1, "Creating payment links",
            $"{_created} created, {_failed} failed, {_inFlight.Count(t => !t.IsCompleted)} in flight (limit {_limiter!.Limit})"));

        public void Dispose() => _journal?.Dispose();

        /// <summary>What the output and errors say about the row a link was made for.</summary>
        private sealed class RowContext
        {
            public RowContext(object? target, string? reference, decimal amount, string currency, string? remittance)
            {
                Target = target;
                Reference = reference;
                Amount = amount;
                Currency = currency.ToUpperInvariant();
                Remittance = remittance;
            }

            public object? Target { get; }
            public string? Reference { get; }
            private decimal Amount { get; }
            private string Currency { get; }
            private string? Remittance { get; }

            public void Describe(PaymentLink link)
            {
                link.Reference = Reference;
                link.Amount = Amount;
                link.Currency = Currency;
                link.RemittanceInformation = Remittance;
            }
        }
    }
}
