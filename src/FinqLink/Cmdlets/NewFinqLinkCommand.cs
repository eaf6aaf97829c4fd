using System;
using System.Collections;
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
    public sealed partial class NewFinqLinkCommand : FinqCmdlet, IDisposable
    {
        private BulkLinkRun? _run;
        private BulkProgress? _progress;
        private long _rows;
        private bool _summarized;
        private Exception? _interruption;
        private CutWhile _writing, _cutWhile;
        /// <summary>-AdditionalProperties as plain values, made once: it is not bound per row.</summary>
        private IDictionary? _additional;

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
                    this.WriteVerboseIfRequested($"Journal: {RowKey.Describe(settled.Entry.Key)} from an earlier run is {settled.Verdict}" + (settled.Candidates.Length > 0 ? $" ({string.Join(", ", settled.Candidates)})" : "") + ".");
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

        /// <summary>One Core call per row: the run reads and checks it (the amount once) and reports it in its turn, created or refused.</summary>
        private void Take()
        {
            _rows++;
            var row = Row((object?)InputObject ?? Reference);
            if (_run == null)
            {
                // -WhatIf: show each row's request; nothing is sent, and no session is needed.
                try { ShouldProcess($"{RowName}: {Services.LinkService.Describe(row.ToRequest())}", $"Create payment link {RowName}?", "Create payment link"); }
                catch (FinqLinkValidationException invalid) { WriteRowError(invalid, row.Target, RowName); }
                return;
            }
            if (!ShouldProcess(RowName, "Create payment link")) return;
            // Once the run has stopped (journal unwritable, API unreachable) each further row is reported as not sent, so rows in =
            // outputs + errors; FinqLink.Bulk.RunStopped follows in EndProcessing.
            Queue.Await(() => _run.AddAsync(row, StopToken), StopToken);
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
            this.WriteVerboseIfRequested("New-FinqLink: " + RunSummary.Describe(run.Summary));
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

        /// <summary>The row as bound; a duration or flag PowerShell cannot read makes it a row refused for that value.</summary>
        private BulkRow Row(object? target)
        {
            var options = new LinkCreateOptions
            {
                Amount = RowValues.Unwrap(Amount), AmountCulture = AmountCulture,
                Currency = Currency, CreditorName = CreditorName, CreditorIban = CreditorIban, DebtorIban = DebtorIban,
                DebtorPsuId = DebtorPsuId, RemittanceInformation = RemittanceInformation, ProviderId = ProviderId, RemitterType = RemitterType,
                PaymentScheme = PaymentScheme, PaymentEnvironment = PaymentEnvironment, FlowType = FlowType, UxTemplate = UxTemplate,
                WebhookUrl = WebhookUrl, RedirectUrl = RedirectUrl, TrackingUserId = TrackingUserId, TrackingCompanyId = TrackingCompanyId,
                AdditionalProperties = _additional ??= AdditionalProperties == null ? null : PSValues.ToPlainDictionary(AdditionalProperties),
            };
            try
            {
                options.ExpiresIn = RowValues.Duration(ApiFields.ExpiresIn, ExpiresIn);
                options.UserEditable = RowValues.Flag(ApiFields.UserEditable, UserEditable);
            }
            catch (FinqLinkValidationException unreadable) { return new BulkRow(options, Reference, target, unreadable); }
            return new BulkRow(options, Reference, target);
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
