using System;

namespace FinqLink.PowerShell.Infrastructure
{
    /// <summary>What the cmdlet was doing when its run was cut short.</summary>
    internal enum CutWhile
    {
        Working,
        /// <summary>Writing a link: a later command stopped the pipeline (Select-Object -First, or its own terminating error).</summary>
        WritingOutput,
        /// <summary>Writing a row's error: -ErrorAction Stop (or $ErrorActionPreference) made it terminating.</summary>
        WritingError,
    }

    /// <summary>Says what cut a bulk run short, for the StopReason of the summary -SummaryVariable still gets.</summary>
    internal static class RunInterruption
    {
        /// <param name="cause">The exception that left the cmdlet, if one did (none when another command of the pipeline failed).</param>
        /// <param name="stopped">Whether PowerShell stopped the pipeline (Ctrl+C, or a host's Stop()).</param>
        /// <param name="unfinished">Rows taken without an outcome when the run was cut.</param>
        /// <param name="unwritten">Rows whose outcome was made but held behind the progress bar and never written.</param>
        /// <param name="journaled">Whether the run had a journal, which settles the unfinished rows on the next run.</param>
        /// <param name="runStopReason">Why the run itself had stopped sending before that, if it had.</param>
        public static string Describe(Exception? cause, CutWhile cutWhile, bool stopped, long unfinished, long unwritten, bool journaled, string? runStopReason)
        {
            // PowerShell unwinds every command of a pipeline with a PipelineStoppedException, whatever stopped it: what the
            // cmdlet was writing when it came tells the causes apart.
            var what = stopped ? "Interrupted (Ctrl+C)"
                : cutWhile == CutWhile.WritingError ? "Interrupted by an error that -ErrorAction Stop made terminating"
                : cutWhile == CutWhile.WritingOutput ? "Interrupted by a later command of the pipeline (Select-Object -First, or its own terminating error)"
                : cause != null ? $"Interrupted by a terminating error ({cause.Message.TrimEnd('.')})"
                : "Interrupted by a terminating error in another command of the pipeline";
            var rows = unfinished == 0 ? "" : unfinished == 1 ? " 1 row was still without an outcome" : $" {unfinished} rows were still without an outcome";
            var next = unfinished == 0 ? "" : journaled ? "; a re-run with the same -JournalPath settles them." : "; those in flight may have made links.";
            var held = unwritten == 0 ? "" : unwritten == 1 ? " 1 row had an outcome that was never written to the pipeline."
                : $" {unwritten} rows had an outcome that was never written to the pipeline.";
            return $"{what}.{rows}{next}{held}" + (runStopReason == null ? "" : " " + runStopReason);
        }
    }
}
