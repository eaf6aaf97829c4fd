using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using FinqLink.Waiting;

namespace FinqLink.PowerShell.Infrastructure
{
    /// <summary>
    /// Base of the Wait-Finq* cmdlets: collects every object given on the pipeline, then lets Core's <see cref="Poller{T}"/>
    /// wait for them all together, writing each one as soon as it gets where it was awaited, and an error for each one
    /// that ends elsewhere, cannot be read or is still on its way at -TimeoutSec.
    /// </summary>
    /// <remarks>
    /// Not generic over the awaited type on purpose: PowerShell loads every public type's base classes before the module
    /// initializer runs, and a FinqLink.Core type there would be needed before FinqLink.Core can be resolved.
    /// </remarks>
    public abstract class FinqWaitCmdlet : FinqCmdlet
    {
        private readonly List<(string Id, object? Input)> _targets = new List<(string, object?)>();

        [Parameter]
        [ValidateRange(1, 604800)]
        public int TimeoutSec { get; set; } = 600;

        [Parameter]
        [ValidateRange(0.05, 3600)]
        public double PollIntervalSec { get; set; } = 2;

        /// <summary>Stores the wait's summary (Total, Reached, Unreachable, TimedOut, Failed, Rounds, Elapsed) in this variable.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SummaryVariable { get; set; }

        internal abstract string Activity { get; }

        /// <summary>Adds one object to wait for (duplicates are waited for once); <paramref name="input"/> is the piped object.</summary>
        protected void Track(string id, object? input)
        {
            if (!string.IsNullOrWhiteSpace(id)) _targets.Add((id, input));
        }

        protected IEnumerable<object?> Inputs => _targets.Select(t => t.Input);

        /// <summary>How messages name an object: by default its id; a link piped in from New-FinqLink by its reference too.</summary>
        protected virtual string NameOf(string id, object? input) => id;

        protected override void EndProcessing()
        {
            if (_targets.Count > 0) Wait();
        }

        /// <summary>Runs the wait with the cmdlet's goal: <see cref="Wait{T}"/>.</summary>
        internal abstract void Wait();

        /// <summary>Waits for every tracked object on the pipeline thread's behalf; <paramref name="finish"/> makes what is written of one that got there.</summary>
        internal void Wait<T>(WaitGoal<T> goal, Func<T, object?, object> finish) where T : class
        {
            var poller = new Poller<T>(goal, TimeSpan.FromSeconds(TimeoutSec), TimeSpan.FromSeconds(PollIntervalSec));
            var targets = _targets.Select(t => new WaitTarget<T>(t.Id, NameOf(t.Id, t.Input), t.Input)).ToList();
            // Nothing of this cmdlet is on screen yet, so the progress may go up at once (see QuietProgress).
            var progress = new QuietProgress(this, Activity, $"Reading {targets.Select(t => t.Id).Distinct().Count()} …", TimeSpan.Zero);
            var queue = Queue;
            var writer = new WaitWriter<T>(this, queue, progress, finish);
            queue.WhileIdle = progress.WhileQuiet;
            queue.BeforeMessage = progress.BeforeOutput;
            progress.WhileQuiet();
            WaitSummary? summary = null;
            try { summary = queue.Await(() => poller.RunAsync(targets, writer, StopToken), StopToken); }
            catch (OperationCanceledException) when (StopToken.IsCancellationRequested) { }
            finally
            {
                progress.Complete();
                summary ??= poller.SoFar();
                if (SummaryVariable != null && summary != null) SessionState.PSVariable.Set(SummaryVariable, Summarise(summary));
            }
        }

        private static PSObject Summarise(WaitSummary summary)
        {
            var shown = new PSObject();
            shown.TypeNames.Insert(0, "FinqLink.WaitSummary");
            shown.Properties.Add(new PSNoteProperty("Total", summary.Total));
            shown.Properties.Add(new PSNoteProperty("Reached", summary.Reached));
            shown.Properties.Add(new PSNoteProperty("Unreachable", summary.Unreachable));
            shown.Properties.Add(new PSNoteProperty("TimedOut", summary.TimedOut));
            shown.Properties.Add(new PSNoteProperty("Failed", summary.Failed));
            shown.Properties.Add(new PSNoteProperty("Rounds", summary.Rounds));
            shown.Properties.Add(new PSNoteProperty("Elapsed", summary.Elapsed));
            return shown;
        }

        internal void WriteFailure(Exception failure, object? target) => WriteItemError(failure, target);
    }
}
