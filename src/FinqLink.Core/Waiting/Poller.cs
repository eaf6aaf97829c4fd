using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Http;
using FinqLink.Services;

namespace FinqLink.Waiting
{
    /// <summary>
    /// Polls many objects together until each gets where it is awaited: a round reads all that are still waiting (the
    /// goal decides how: a bounded number at a time, or through a list), and each is told as soon as it gets there.
    /// Passing failures (the network, 5xx, 429) are ridden out until the timeout, which holds at any moment, even in
    /// the middle of a round; an object that ends elsewhere, or that the API says does not exist, leaves the wait and the
    /// rest go on. Time comes from a <see cref="TimeProvider"/>, so tests run it on a fake clock.
    /// </summary>
    public sealed class Poller<T> where T : class
    {
        private readonly WaitGoal<T> _goal;
        private readonly TimeProvider _time;
        private readonly TimeSpan _timeout;
        private readonly TimeSpan _interval;
        private WaitSummary? _running;
        private long _started;

        public Poller(WaitGoal<T> goal, TimeSpan timeout, TimeSpan interval)
            : this(goal, timeout, interval, TimeProvider.System)
        {
        }

        /// <summary>On a given clock. Internal: the cmdlets' assembly sees Core's dependencies only through Core.</summary>
        internal Poller(WaitGoal<T> goal, TimeSpan timeout, TimeSpan interval, TimeProvider time)
        {
            if (timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(timeout), "The timeout must be positive.");
            if (interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(interval), "The poll interval must be positive.");
            _goal = goal;
            _timeout = timeout;
            _interval = interval;
            _time = time;
        }

        /// <summary>Waits for every target (each id once), telling <paramref name="observer"/> as it goes; cancelling ends the wait early.</summary>
        public async Task<WaitSummary> RunAsync(IEnumerable<WaitTarget<T>> targets, IWaitObserver<T> observer, CancellationToken cancellationToken)
        {
            var waiting = new Dictionary<string, WaitTarget<T>>(StringComparer.Ordinal);
            foreach (var target in targets)
                if (!waiting.ContainsKey(target.Id)) waiting.Add(target.Id, target);
            var summary = _running = new WaitSummary { Total = waiting.Count };
            var started = _started = _time.GetTimestamp();
            TimeSpan Elapsed() => _time.GetElapsedTime(started);
            var announced = false;
            try
            {
                while (waiting.Count > 0 && !cancellationToken.IsCancellationRequested)
                {
                    summary.Rounds++;
                    var round = await RoundAsync(waiting.Keys.ToList(), _timeout - Elapsed(), observer, cancellationToken).ConfigureAwait(false);
                    if (round != null) Apply(round, waiting, observer, summary);
                    if (!announced && waiting.Count > 0) announced = AnnounceActions(waiting.Values, observer);
                    if (waiting.Count == 0 || cancellationToken.IsCancellationRequested) break;
                    if (Elapsed() >= _timeout)
                    {
                        foreach (var target in waiting.Values) observer.TimedOut(target, TimedOut(target));
                        summary.TimedOut += waiting.Count;
                        break;
                    }
                    var left = _timeout - Elapsed();
                    var pause = _time.Delay(_interval < left ? _interval : left, cancellationToken);
                    observer.Pausing(Describe(summary.Total, waiting.Values, Elapsed()), (summary.Total - waiting.Count) * 100 / summary.Total);
                    try { await pause.ConfigureAwait(false); }
                    catch (OperationCanceledException) { break; }
                }
            }
            finally { summary.Elapsed = Elapsed(); }
            return summary;
        }

        /// <summary>
        /// The counts so far of the wait under way (or of the last one), null before any: what a wait cut short by Ctrl+C
        /// still reports, when <see cref="RunAsync"/> never got to return its summary.
        /// </summary>
        public WaitSummary? SoFar()
        {
            var running = _running;
            if (running == null) return null;
            return new WaitSummary
            {
                Total = running.Total, Reached = running.Reached, Unreachable = running.Unreachable, TimedOut = running.TimedOut,
                Failed = running.Failed, Rounds = running.Rounds,
                Elapsed = running.Elapsed > TimeSpan.Zero ? running.Elapsed : _time.GetElapsedTime(_started),
            };
        }

        /// <summary>One poll, cut short by the deadline or cancellation; null when the whole round failed (the next round tries again).</summary>
        private async Task<ManyResult<T>?> RoundAsync(IReadOnlyCollection<string> ids, TimeSpan left, IWaitObserver<T> observer, CancellationToken cancellationToken)
        {
            using var deadline = _time.CreateCancellationTokenSource(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            using var round = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            try { return await _goal.PollAsync(ids, round.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) when (round.IsCancellationRequested) { return null; }
            catch (Exception e) when (Transient(e))
            {
                observer.Retrying(null, e);
                return null;
            }
        }

        private void Apply(ManyResult<T> round, Dictionary<string, WaitTarget<T>> waiting, IWaitObserver<T> observer, WaitSummary summary)
        {
            foreach (var target in waiting.Values.ToList())
            {
                if (round.Found.TryGetValue(target.Id, out var item))
                {
                    target.Last = item;
                    target.LastError = null;
                    if (_goal.Reached(item))
                    {
                        summary.Reached++;
                        waiting.Remove(target.Id);
                        observer.Reached(target, item);
                    }
                    else if (_goal.CannotReach(item))
                    {
                        summary.Unreachable++;
                        waiting.Remove(target.Id);
                        observer.Unreachable(target, item,
                            new InvalidOperationException($"{target.Id}: ended as '{_goal.StatusOf(item)}' without reaching {_goal.Description}."));
                    }
                }
                else if (round.Failed.TryGetValue(target.Id, out var failure))
                {
                    if (Transient(failure))
                    {
                        target.LastError = failure;
                        observer.Retrying(target, failure);
                    }
                    else
                    {
                        summary.Failed++;
                        waiting.Remove(target.Id);
                        observer.Failed(target, failure);
                    }
                }
            }
        }

        /// <summary>The network, a server fault or throttling: worth waiting out. Anything else (404, a 4xx) is final for that object.</summary>
        private static bool Transient(Exception e) =>
            e is FinqLinkTransportException || e is FinqLinkResponseException
            || (e is FinqLinkApiException api && RetryPolicy.IsRetryableStatus(api.StatusCode));

        private bool AnnounceActions(IEnumerable<WaitTarget<T>> waiting, IWaitObserver<T> observer)
        {
            var open = waiting.Where(t => t.Last != null).Select(t => (t.Name, Url: _goal.ActionUrlOf(t.Last!)))
                .Where(p => p.Url != null).Select(p => new ActionPage(p.Name, p.Url!)).ToList();
            if (open.Count == 0) return false;
            observer.ActionsOpen(open);
            return true;
        }

        private string Describe(int total, IEnumerable<WaitTarget<T>> waiting, TimeSpan elapsed)
        {
            var targets = waiting.ToList();
            var statuses = targets.Where(t => t.Last != null).GroupBy(t => _goal.StatusOf(t.Last!) ?? "?").OrderByDescending(g => g.Count())
                .Select(g => $"{g.Count()} {g.Key}").Take(3);
            var failing = targets.Count(t => t.LastError != null);
            return $"{total - targets.Count} of {total} done; waiting: {string.Join(", ", statuses)}" + (failing > 0 ? $", {failing} unreadable just now" : "")
                   + $" ({elapsed.TotalSeconds:0} of {_timeout.TotalSeconds:0} s)";
        }

        private TimeoutException TimedOut(WaitTarget<T> target)
        {
            var state = target.Last == null ? "never read" : $"still '{_goal.StatusOf(target.Last)}'";
            var lastError = target.LastError == null ? "" : $"; the last read failed: {target.LastError.Message}";
            return new TimeoutException($"{target.Name}: {state} after {_timeout.TotalSeconds:0} s (waiting for {_goal.Description}){lastError}.");
        }
    }
}
