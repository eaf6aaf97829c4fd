using System;
using System.Management.Automation;
using FinqLink.Bulk;

namespace FinqLink.PowerShell.Infrastructure
{
    /// <summary>
    /// A bulk run's progress bar as PowerShell progress records; <see cref="ProgressPacer"/> decides when it is up, redrawn or
    /// down, and which rows are held meanwhile.
    /// </summary>
    internal sealed class BulkProgress
    {
        /// <summary>Below QuietProgress's ids (10 and up), so a Wait-FinqLink downstream gets a bar of its own.</summary>
        private const int ActivityId = 9;
        /// <summary>Short: pwsh's bar holds the activity and the status on one line, and an 80-column console has 79 to give.</summary>
        private const string Activity = "Payment links";

        private readonly Cmdlet _cmdlet;
        private readonly ProgressPacer _pacer;
        private string _status = "";

        /// <param name="inFlight">The creates in flight now (read at each redraw).</param>
        /// <param name="wanted">False when $ProgressPreference (or -ProgressAction) hides progress: then rows are never held.</param>
        public BulkProgress(Cmdlet cmdlet, Func<int> inFlight, bool wanted)
        {
            _cmdlet = cmdlet;
            _pacer = new ProgressPacer(inFlight, wanted, Show, TakeDown);
        }

        public TimeSpan Elapsed => _pacer.Elapsed;

        /// <inheritdoc cref="ProgressPacer.Held"/>
        public int Held => _pacer.Held;

        /// <inheritdoc cref="ProgressPacer.Reached"/>
        public long Reached => _pacer.Reached;

        /// <inheritdoc cref="ProgressPacer.SetTotal"/>
        public void SetTotal(long total) => _pacer.SetTotal(total);

        /// <summary>A row's outcome, on the pipeline thread: written now, or held while the bar is up.</summary>
        public void Outcome(bool failed, Action write) => _pacer.Outcome(failed, write);

        /// <summary>Call often on the pipeline thread (while waiting, after each row).</summary>
        public void Tick() => _pacer.Tick();

        /// <inheritdoc cref="ProgressPacer.BeforeMessage"/>
        public void BeforeMessage() => _pacer.BeforeMessage();

        /// <inheritdoc cref="ProgressPacer.Complete"/>
        public void Complete() => _pacer.Complete();

        // A new record each time: hosts that keep records (a hosted runspace's Progress stream) keep each one as it was.
        private void Show(string status, int percent)
        {
            _status = status;
            _cmdlet.WriteProgress(new ProgressRecord(ActivityId, Activity, status) { PercentComplete = percent });
        }

        private void TakeDown() =>
            _cmdlet.WriteProgress(new ProgressRecord(ActivityId, Activity, _status) { RecordType = ProgressRecordType.Completed });

        /// <summary>Whether the cmdlet's progress is shown at all: -ProgressAction when given, else $ProgressPreference.</summary>
        public static bool Wanted(PSCmdlet cmdlet)
        {
            var preference = cmdlet.MyInvocation.BoundParameters.TryGetValue("ProgressAction", out var bound) ? bound : cmdlet.GetVariableValue("ProgressPreference");
            return !LanguagePrimitives.TryConvertTo(preference, out ActionPreference p) || (p != ActionPreference.SilentlyContinue && p != ActionPreference.Ignore);
        }
    }
}
