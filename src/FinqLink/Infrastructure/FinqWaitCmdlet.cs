using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using FinqLink.Http;

namespace FinqLink.PowerShell.Infrastructure
{
    /// <summary>
    /// Base of the Wait-Finq* cmdlets: collects every object given on the pipeline, then polls them together and writes
    /// each one as soon as it gets where it was awaited. One that ends elsewhere, or is still waiting at -TimeoutSec,
    /// becomes a non-terminating error; the rest go on.
    /// </summary>
    /// <remarks>
    /// Not generic over the awaited type on purpose: PowerShell loads every public type's base classes before the module
    /// initializer runs, and a FinqLink.Core type there would be needed before FinqLink.Core can be resolved.
    /// </remarks>
    public abstract class FinqWaitCmdlet : FinqCmdlet
    {
        private readonly Dictionary<string, ApiRequest> _targets = new Dictionary<string, ApiRequest>(StringComparer.Ordinal);

        [Parameter]
        [ValidateRange(1, 604800)]
        public int TimeoutSec { get; set; } = 600;

        [Parameter]
        [ValidateRange(0.05, 3600)]
        public double PollIntervalSec { get; set; } = 2;

        protected abstract string Activity { get; }

        /// <summary>Reads one awaited object's current state.</summary>
        protected abstract object Fetch(ApiRequest request);

        /// <summary>True when <paramref name="item"/> is where the caller waits for it.</summary>
        protected abstract bool Reached(object item);

        /// <summary>True when <paramref name="item"/> can no longer get there.</summary>
        protected abstract bool CannotReach(object item);

        protected abstract string? StatusOf(object item);

        protected abstract string Goal { get; }

        /// <summary>Adds one object to wait for (duplicates are waited for once).</summary>
        protected void Track(string key, Func<ApiRequest> request, object target)
        {
            if (_targets.ContainsKey(key)) return;
            try { _targets.Add(key, request()); }
            catch (ArgumentException e) { WriteItemError(e, target); }
        }

        protected override void EndProcessing()
        {
            var waiting = _targets.ToDictionary(t => t.Key, t => (Request: t.Value, Last: (object?)null), StringComparer.Ordinal);
            var total = waiting.Count;
            var clock = Stopwatch.StartNew();
            var progress = new ProgressRecord(Math.Abs(Activity.GetHashCode() % 1000) + 2000, Activity, "Polling");
            while (waiting.Count > 0 && !StopToken.IsCancellationRequested)
            {
                foreach (var key in waiting.Keys.ToList())
                {
                    try
                    {
                        var item = Fetch(waiting[key].Request);
                        waiting[key] = (waiting[key].Request, item);
                        if (Reached(item))
                        {
                            waiting.Remove(key);
                            WriteObject(item);
                        }
                        else if (CannotReach(item))
                        {
                            waiting.Remove(key);
                            WriteError(new ErrorRecord(new InvalidOperationException($"{key}: ended as '{StatusOf(item)}' without reaching {Goal}."),
                                "FinqLink.WaitUnreachable", ErrorCategory.InvalidResult, item));
                        }
                    }
                    catch (Exception e) when (!(e is PipelineStoppedException) && !(e is OperationCanceledException))
                    {
                        waiting.Remove(key);
                        WriteItemError(e, key);
                    }
                }
                if (waiting.Count == 0) break;
                if (clock.Elapsed.TotalSeconds >= TimeoutSec)
                {
                    foreach (var pending in waiting)
                        WriteError(new ErrorRecord(
                            new TimeoutException($"{pending.Key}: still '{(pending.Value.Last == null ? "unknown" : StatusOf(pending.Value.Last))}' after {TimeoutSec} s (waiting for {Goal})."),
                            "FinqLink.WaitTimeout", ErrorCategory.OperationTimeout, (object?)pending.Value.Last ?? pending.Key));
                    break;
                }
                progress.StatusDescription = $"{total - waiting.Count} of {total} done; {waiting.Count} waiting ({clock.Elapsed.TotalSeconds:0} s)"
                    + (waiting.Count == 1 && waiting.Values.First().Last is object one ? $", now '{StatusOf(one)}'" : "");
                progress.PercentComplete = total == 0 ? 100 : (total - waiting.Count) * 100 / total;
                WriteProgress(progress);
                StopToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(PollIntervalSec));
            }
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
        }
    }
}
