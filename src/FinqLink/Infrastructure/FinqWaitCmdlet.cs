using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Http;

namespace FinqLink.PowerShell.Infrastructure
{
    /// <summary>
    /// Base of the Wait-Finq* cmdlets: collects every object given on the pipeline, then polls them together (a round reads
    /// them all, a bounded number at a time or through a list) and writes each one as soon as it gets where it was awaited.
    /// Transient failures (the network, 5xx, 429) are ridden out until -TimeoutSec, which holds at any moment; an object
    /// that ends elsewhere, or that the API says does not exist, becomes a non-terminating error and the rest go on.
    /// </summary>
    /// <remarks>
    /// Not generic over the awaited type on purpose: PowerShell loads every public type's base classes before the module
    /// initializer runs, and a FinqLink.Core type there would be needed before FinqLink.Core can be resolved.
    /// </remarks>
    public abstract class FinqWaitCmdlet : FinqCmdlet
    {
        private static readonly string[] HostTag = { "PSHOST" };

        private static readonly TimeSpan ProgressSlice = TimeSpan.FromMilliseconds(250);

        private readonly Dictionary<string, Target> _targets = new Dictionary<string, Target>(StringComparer.Ordinal);
        private QuietProgress? _progress;

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

        private int _reached, _unreachable, _timedOut, _failed, _rounds;

        protected abstract string Activity { get; }

        /// <summary>What is awaited, in words ("a final status", "active").</summary>
        protected abstract string Goal { get; }

        /// <summary>One round: the current state of each id that could be read, and why the others could not.</summary>
        internal abstract Task<(IReadOnlyDictionary<string, object> Found, IReadOnlyDictionary<string, Exception> Failed)> PollAsync(
            FinqLinkClient client, IReadOnlyCollection<string> ids, RequestOptions options, CancellationToken cancellationToken);

        /// <summary>True when <paramref name="item"/> is where the caller waits for it.</summary>
        protected abstract bool Reached(object item);

        /// <summary>True when <paramref name="item"/> can no longer get there.</summary>
        protected abstract bool CannotReach(object item);

        protected abstract string? StatusOf(object item);

        /// <summary>Where a person acts to move the object on (a payer's or account holder's page), while it waits for them.</summary>
        protected virtual string? ActionUrlOf(object item) => null;

        /// <summary>What is written when the object gets there: by default the object as read, with what the input knew added.</summary>
        protected virtual object Finish(object item, object? input) => item;

        /// <summary>How messages name an object: by default its id; a link piped in from New-FinqLink by its reference too.</summary>
        protected virtual string NameOf(string id, object? input) => id;

        /// <summary>Adds one object to wait for (duplicates are waited for once); <paramref name="input"/> is the piped object.</summary>
        protected void Track(string id, object? input)
        {
            if (string.IsNullOrWhiteSpace(id) || _targets.ContainsKey(id)) return;
            _targets.Add(id, new Target(id, input));
        }

        protected IEnumerable<object?> Inputs => _targets.Values.Select(t => t.Input);

        protected override void EndProcessing()
        {
            var waiting = new Dictionary<string, Target>(_targets, StringComparer.Ordinal);
            var total = waiting.Count;
            if (total == 0) return;
            var clock = Stopwatch.StartNew();
            var deadline = TimeSpan.FromSeconds(TimeoutSec);
            // Nothing of this cmdlet is on screen yet, so the progress may go up at once (see QuietProgress).
            _progress = new QuietProgress(this, Activity, $"Reading {total} …", TimeSpan.Zero);
            _progress.WhileQuiet();
            var client = Client;
            var announced = false;
            try
            {
                while (waiting.Count > 0 && !StopToken.IsCancellationRequested)
                {
                    _rounds++;
                    var round = Round(client, waiting.Keys.ToList(), deadline - clock.Elapsed);
                    if (round.HasValue) Apply(round.Value, waiting);
                    if (!announced && waiting.Count > 0) announced = AnnounceActions(waiting.Values);
                    if (waiting.Count == 0 || StopToken.IsCancellationRequested) break;
                    if (clock.Elapsed >= deadline)
                    {
                        _progress.BeforeOutput();
                        foreach (var target in waiting.Values) WriteError(TimedOut(target));
                        _timedOut += waiting.Count;
                        break;
                    }
                    _progress.Update(Describe(total, waiting, clock.Elapsed), (total - waiting.Count) * 100 / total);
                    PauseQuietly(TimeSpan.FromSeconds(PollIntervalSec), deadline - clock.Elapsed);
                }
            }
            finally
            {
                _progress.Complete();
                if (SummaryVariable != null) SessionState.PSVariable.Set(SummaryVariable, Summary(total, clock.Elapsed));
            }
        }

        /// <summary>Sleeps between rounds (Ctrl+C wakes it), drawing the progress while nothing else is written.</summary>
        private void PauseQuietly(TimeSpan pause, TimeSpan left)
        {
            var slept = Stopwatch.StartNew();
            var length = pause < left ? pause : left;
            while (!StopToken.IsCancellationRequested)
            {
                var rest = length - slept.Elapsed;
                if (rest <= TimeSpan.Zero) return;
                _progress!.WhileQuiet();
                StopToken.WaitHandle.WaitOne(rest < ProgressSlice ? rest : ProgressSlice);
            }
        }

        private PSObject Summary(int total, TimeSpan elapsed)
        {
            var summary = new PSObject();
            summary.TypeNames.Insert(0, "FinqLink.WaitSummary");
            summary.Properties.Add(new PSNoteProperty("Total", total));
            summary.Properties.Add(new PSNoteProperty("Reached", _reached));
            summary.Properties.Add(new PSNoteProperty("Unreachable", _unreachable));
            summary.Properties.Add(new PSNoteProperty("TimedOut", _timedOut));
            summary.Properties.Add(new PSNoteProperty("Failed", _failed));
            summary.Properties.Add(new PSNoteProperty("Rounds", _rounds));
            summary.Properties.Add(new PSNoteProperty("Elapsed", elapsed));
            return summary;
        }

        /// <summary>One poll, cut short by the deadline or Ctrl+C; null when the whole round failed (then the next round tries again).</summary>
        private (IReadOnlyDictionary<string, object> Found, IReadOnlyDictionary<string, Exception> Failed)? Round(FinqLinkClient client, IReadOnlyCollection<string> ids, TimeSpan left)
        {
            using var round = CancellationTokenSource.CreateLinkedTokenSource(StopToken);
            round.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            var options = Logged;
            try { return Queue.Await(() => PollAsync(client, ids, options, round.Token), round.Token); }
            catch (OperationCanceledException) { return null; }
            catch (Exception e) when (Transient(e))
            {
                WriteVerbose($"{Activity}: this round failed ({e.Message}); trying again.");
                return null;
            }
        }

        private void Apply((IReadOnlyDictionary<string, object> Found, IReadOnlyDictionary<string, Exception> Failed) round, Dictionary<string, Target> waiting)
        {
            foreach (var id in waiting.Keys.ToList())
            {
                var target = waiting[id];
                if (round.Found.TryGetValue(id, out var item))
                {
                    target.Last = item;
                    target.LastError = null;
                    if (Reached(item))
                    {
                        _reached++;
                        waiting.Remove(id);
                        _progress?.BeforeOutput();
                        WriteObject(Finish(item, target.Input));
                    }
                    else if (CannotReach(item))
                    {
                        _unreachable++;
                        waiting.Remove(id);
                        _progress?.BeforeOutput();
                        WriteError(new ErrorRecord(new InvalidOperationException($"{id}: ended as '{StatusOf(item)}' without reaching {Goal}."),
                            "FinqLink.WaitUnreachable", ErrorCategory.InvalidResult, Finish(item, target.Input)));
                    }
                }
                else if (round.Failed.TryGetValue(id, out var failure))
                {
                    _progress?.BeforeOutput();
                    if (Transient(failure))
                    {
                        target.LastError = failure;
                        WriteVerbose($"{id}: could not be read this round ({failure.Message}); still waiting.");
                    }
                    else
                    {
                        _failed++;
                        waiting.Remove(id);
                        WriteItemError(failure, target.Input ?? id);
                    }
                }
            }
        }

        /// <summary>The network, a server fault or throttling: worth waiting out. Anything else (404, a 4xx) is final for that object.</summary>
        private static bool Transient(Exception e) =>
            e is FinqLinkTransportException || e is FinqLinkResponseException
            || (e is FinqLinkApiException api && RetryPolicy.IsRetryableStatus(api.StatusCode));

        /// <summary>Tells the person at the console where to act (a payer's or account holder's page) once, while waiting on them.</summary>
        private bool AnnounceActions(IEnumerable<Target> waiting)
        {
            var open = waiting.Where(t => t.Last != null).Select(t => (Name: NameOf(t.Id, t.Input), Url: ActionUrlOf(t.Last!))).Where(t => t.Url != null).ToList();
            if (open.Count == 0) return false;
            _progress?.BeforeOutput();
            foreach (var (name, url) in open.Take(5))
                WriteInformation(new HostInformationMessage { Message = $"{Activity}: open {url} to act on {name}." }, HostTag);
            if (open.Count > 5) WriteInformation(new HostInformationMessage { Message = $"… and {open.Count - 5} more (their WebUrl property)." }, HostTag);
            return true;
        }

        private string Describe(int total, Dictionary<string, Target> waiting, TimeSpan elapsed)
        {
            var statuses = waiting.Values.Where(t => t.Last != null).GroupBy(t => StatusOf(t.Last!) ?? "?").OrderByDescending(g => g.Count())
                .Select(g => $"{g.Count()} {g.Key}").Take(3);
            var failing = waiting.Values.Count(t => t.LastError != null);
            return $"{total - waiting.Count} of {total} done; waiting: {string.Join(", ", statuses)}" + (failing > 0 ? $", {failing} unreadable just now" : "")
                   + $" ({elapsed.TotalSeconds:0} of {TimeoutSec} s)";
        }

        private ErrorRecord TimedOut(Target target)
        {
            var state = target.Last == null ? "never read" : $"still '{StatusOf(target.Last)}'";
            var lastError = target.LastError == null ? "" : $"; the last read failed: {target.LastError.Message}";
            return new ErrorRecord(new TimeoutException($"{NameOf(target.Id, target.Input)}: {state} after {TimeoutSec} s (waiting for {Goal}){lastError}."),
                "FinqLink.WaitTimeout", ErrorCategory.OperationTimeout, target.Last == null ? target.Input ?? target.Id : Finish(target.Last, target.Input));
        }

        private sealed class Target
        {
            public Target(string id, object? input)
            {
                Id = id;
                Input = input;
            }

            public string Id { get; }
            public object? Input { get; }
            public object? Last { get; set; }
            public Exception? LastError { get; set; }
        }
    }
}
