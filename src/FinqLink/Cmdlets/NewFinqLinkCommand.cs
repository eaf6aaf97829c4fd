using System;
using System.Collections;
using System.Globalization;
using System.Management.Automation;
using FinqLink.Bulk;
using FinqLink.Models;
using FinqLink.Options;
using FinqLink.PowerShell.Infrastructure;
using FinqLink.Validation;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>
    /// Creates payment links, one per pipeline row, several at a time, writing the results in input order. Each create is
    /// sent once; with -JournalPath an unknown outcome is settled against the server and a re-run creates only what is
    /// missing. The bulk engine is FinqLink.Core's BulkLinkRun; this cmdlet maps parameters to rows and outcomes to output.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "FinqLink", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(PaymentLink))]
    public sealed class NewFinqLinkCommand : FinqCmdlet, IDisposable
    {
        private BulkLinkRun? _run;
        private BulkProgress? _progress;
        private long _rows;
        private bool _summarized;
        private Exception? _interruption;
        private CutWhile _writing, _cutWhile;

        /// <summary>The amount as the row says it: text in the API's format (1250.50), or in -AmountCulture's; or a number.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Sum", "Total", "InvoiceAmount", "AmountDue")]
        [AllowNull, AllowEmptyString]
        public object? Amount { get; set; }

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Ccy", "CurrencyCode")]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(CurrencyCompleter))]
        public string Currency { get; set; } = "";

        /// <summary>The number format of text amounts (for example ro-RO: "1.250,50"); by default the API's ("1250.50").</summary>
        [Parameter]
        public CultureInfo? AmountCulture { get; set; }

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

        /// <summary>Your own id for the row (an invoice number): carried on the output, and the journal's key (trimmed, any case).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("InvoiceNumber", "InvoiceId", "Invoice", "ExternalId")]
        public string? Reference { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Bank", "Provider")]
        [ArgumentCompleter(typeof(ProviderIdCompleter))]
        public string[]? ProviderId { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ApiValuesCompleter))]
        public string[]? RemitterType { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ApiValuesCompleter))]
        public string[]? PaymentScheme { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ApiValuesCompleter))]
        public string[]? PaymentEnvironment { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ApiValuesCompleter))]
        public string? FlowType { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(UxTemplateCompleter))]
        [Alias("Template")]
        public string? UxTemplate { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? WebhookUrl { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? RedirectUrl { get; set; }

        /// <summary>How long the link stays usable (at most 45 days): a TimeSpan, 7.00:00:00 or P7D.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public object? ExpiresIn { get; set; }

        /// <summary>Lets the payer change the pre-set payment method: $true/$false, or true/false in a CSV.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public object? UserEditable { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? TrackingUserId { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? TrackingCompanyId { get; set; }

        /// <summary>Extra or overriding body fields, for API fields this module has no parameter for.</summary>
        [Parameter]
        public IDictionary? AdditionalProperties { get; set; }

        /// <summary>The pipeline row itself, so errors and -PassThru can point at it.</summary>
        [Parameter(ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }

        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 16;

        /// <summary>Records every row's outcome; re-running with the same file creates only what is missing.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? JournalPath { get; set; }

        /// <summary>Creates a new link for a row whose journaled link was made for different contents (or is ambiguous).</summary>
        [Parameter]
        public SwitchParameter Supersede { get; set; }

        /// <summary>Writes the input row with the link's LinkId, WebUrl, Status and ExpiresAt added, instead of the link.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Stores the run's summary (rows, created, failed by reason, throttling, elapsed) in this variable.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SummaryVariable { get; set; }

        private bool WhatIfOnly => MyInvocation.BoundParameters.ContainsKey("WhatIf");

        protected override void BeginProcessing()
        {
            NoteCommandLineParameters();
            if (WhatIfOnly) return;
            var client = Client;
            var run = _run = new BulkLinkRun(client, new BulkRunOptions
            {
                ThrottleLimit = ThrottleLimit, Supersede = Supersede, Log = Queue,
                JournalPath = JournalPath == null || JournalStores.IsUrl(JournalPath) ? JournalPath : SessionState.Path.GetUnresolvedProviderPathFromPSPath(JournalPath),
            }, outcome => Queue.Post(() => Write(outcome)));
            _progress = new BulkProgress(this, () => run.InFlight, BulkProgress.Wanted(this));
            if (!MyInvocation.ExpectingInput) _progress.SetTotal(1);
            Queue.WhileIdle = _progress.Tick;
            Queue.BeforeMessage = _progress.BeforeMessage;
            try
            {
                foreach (var settled in Run((_, _, ct) => System.Threading.Tasks.Task.FromResult(run.Open(ct))))
                    WriteVerbose($"Journal: {RowKey.Describe(settled.Entry.Key)} from an earlier run is {settled.Verdict}" + (settled.Candidates.Length > 0 ? $" ({string.Join(", ", settled.Candidates)})" : "") + ".");
                if (run.JournalRepaired is string repaired) WriteWarning("Journal repaired: " + repaired);
            }
            catch (Exception e) when (e is System.IO.IOException || e is FormatException || e is UnauthorizedAccessException
                                      || e is FinqLinkApiException || e is FinqLinkTransportException)
            {
                ThrowTerminatingError(ErrorRecords.From(e, JournalStores.Describe(JournalPath!)));
            }
            catch (Exception e) when (Interrupted(e)) { }
        }

        protected override void ProcessRecord()
        {
            try { Take(); }
            catch (Exception e) when (Interrupted(e)) { }
        }

        private void Take()
        {
            _rows++;
            var target = (object?)InputObject ?? Reference;
            LinkCreateOptions options;
            try { options = Options(); }
            catch (FinqLinkValidationException invalid)
            {
                var row = new BulkRow(new LinkCreateOptions { Currency = Currency }, Reference, target);
                if (_run != null) Queue.Await(async () => { await _run.RejectAsync(row, invalid, StopToken).ConfigureAwait(false); return true; }, StopToken);
                else WriteRowError(invalid, target, RowName);
                return;
            }
            if (_run == null)
            {
                // -WhatIf: show each row's request; nothing is sent, and no session is needed.
                try { ShouldProcess($"{RowName}: {Services.LinkService.Describe(options)}", $"Create payment link {RowName}?", "Create payment link"); }
                catch (FinqLinkValidationException invalid) { WriteRowError(invalid, target, RowName); }
                return;
            }
            if (!ShouldProcess(RowName, "Create payment link")) return;
            // Once the run has stopped (journal unwritable, API unreachable) each further row is reported as not sent, so rows in =
            // outputs + errors; FinqLink.Bulk.RunStopped follows in EndProcessing.
            Queue.Await(() => _run.AddAsync(new BulkRow(options, Reference, target), StopToken), StopToken);
        }

        protected override void EndProcessing()
        {
            if (_run == null) return;
            try { Finish(_run); }
            catch (Exception e) when (Interrupted(e)) { }
        }

        /// <summary>
        /// Waits for the rows in flight, reports the run and, if it stopped, says so with a non-terminating error: the links
        /// made before the stop have reached the pipeline, and a variable assigned from it keeps them.
        /// </summary>
        private void Finish(BulkLinkRun run)
        {
            var progress = _progress!;
            progress.SetTotal(_rows);
            Queue.Await(async () => { await run.CompleteAsync().ConfigureAwait(false); return true; }, StopToken);
            Queue.Drain();
            progress.Complete();
            Queue.BeforeMessage = Queue.WhileIdle = null;
            Summarize(run, cut: false);
            WriteVerbose("New-FinqLink: " + RunSummary.Describe(run.Summary));
            _writing = CutWhile.WritingError;
            if (run.StopReason is string reason)
                WriteError(new ErrorRecord(new InvalidOperationException($"The run stopped: {reason} {RunSummary.Describe(run.Summary)}"),
                    "FinqLink.Bulk.RunStopped", ErrorCategory.OperationStopped, JournalPath == null ? null : JournalStores.Describe(JournalPath)));
        }

        /// <summary>Sets -SummaryVariable, once: when the run ends, or when it is cut short (<paramref name="cut"/>).</summary>
        private void Summarize(BulkLinkRun run, bool cut)
        {
            _summarized = true;
            if (SummaryVariable == null) return;
            var elapsed = _progress?.Elapsed ?? TimeSpan.Zero;
            var summary = run.ReadSummary(s => !cut ? RunSummary.ToPSObject(s)
                : RunSummary.ToPSObject(s, elapsed, RunInterruption.Describe(_interruption, _cutWhile, StopToken.IsCancellationRequested, RunSummary.Unfinished(s), Unwritten(s), JournalPath != null, s.StopReason)));
            SessionState.PSVariable.Set(SummaryVariable, summary);
        }

        /// <summary>Outcomes never written: held behind the bar, or made after the pipeline stopped taking them.</summary>
        private long Unwritten(BulkRunSummary s) => _progress == null ? 0 : _progress.Held + (s.Rows - RunSummary.Unfinished(s) - _progress.Reached);

        /// <summary>
        /// An exception filter that catches nothing: it notes what cut the run short, for the summary Dispose sets. Filters run
        /// before the stack unwinds, so <see cref="_writing"/> still says what was being written when the exception came.
        /// </summary>
        private bool Interrupted(Exception e)
        {
            if (_interruption == null)
            {
                _interruption = e;
                _cutWhile = _writing;
            }
            return false;
        }

        private void Write(BulkOutcome outcome) => _progress!.Outcome(outcome.Error != null, () =>
        {
            if (outcome.Link != null)
            {
                _writing = CutWhile.WritingOutput;
                WriteObject(PassThru ? RunSummary.Merge(outcome.Row.Target, outcome.Link) : PeopleColumns.Link(outcome.Link));
            }
            else if (outcome.Error != null)
            {
                _writing = CutWhile.WritingError;
                WriteRowError(outcome.Error, outcome.Row.Target, RowNameOf(outcome.Row.Reference, outcome.Index + 1));
            }
            _writing = CutWhile.Working;
        });

        private LinkCreateOptions Options()
        {
            var currency = string.IsNullOrWhiteSpace(Currency) ? "" : Currency.Trim().ToUpperInvariant();
            return new LinkCreateOptions
            {
                Amount = Amounts.Read(ApiFields.Amount, RowValues.Unwrap(Amount), currency, AmountCulture),
                Currency = Currency, CreditorName = CreditorName, CreditorIban = CreditorIban, DebtorIban = DebtorIban,
                DebtorPsuId = DebtorPsuId, RemittanceInformation = RemittanceInformation, ProviderId = ProviderId, RemitterType = RemitterType,
                PaymentScheme = PaymentScheme, PaymentEnvironment = PaymentEnvironment, FlowType = FlowType, UxTemplate = UxTemplate,
                WebhookUrl = WebhookUrl, RedirectUrl = RedirectUrl, ExpiresIn = RowValues.Duration(ApiFields.ExpiresIn, ExpiresIn),
                UserEditable = RowValues.Flag(ApiFields.UserEditable, UserEditable),
                TrackingUserId = TrackingUserId, TrackingCompanyId = TrackingCompanyId,
                AdditionalProperties = AdditionalProperties == null ? null : PSValues.ToPlainDictionary(AdditionalProperties),
            };
        }

        private string RowName => RowNameOf(Reference, _rows);

        /// <summary>A row's failure, naming the row and, for a bad value, the parameter and the column it came from.</summary>
        private void WriteRowError(Exception error, object? target, string row) => WriteError(ErrorRecords.From(error, target, row, p => ColumnOf(target, p)));

        private static string RowNameOf(string? reference, long number) => string.IsNullOrWhiteSpace(reference) ? $"row {number}" : reference!.Trim();

        /// <summary>
        /// Also how a run cut short (Ctrl+C, -ErrorAction Stop, a command downstream that stopped the pipeline) still sets
        /// -SummaryVariable: PowerShell disposes every command of the pipeline, on its thread, however it ended.
        /// </summary>
        public void Dispose()
        {
            if (_run == null) return;
            if (!_summarized)
            {
                _run.Halt();    // the rows under way end (journaled) before the summary counts them and the run is freed
                Summarize(_run, cut: true);
            }
            _run.Dispose();
        }
    }
}
