using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Models;
using FinqLink.Options;
using FinqLink.Paging;

namespace FinqLink.Bulk
{
    public sealed partial class BulkLinkRun
    {
        private readonly Dictionary<long, ExpiryLanes> _lanes = new Dictionary<long, ExpiryLanes>();
        private readonly SlotPool _slots = new SlotPool();
        private readonly LaneReservations _laneReservations;
        private readonly HashSet<string> _claimed = new HashSet<string>(StringComparer.Ordinal);
        private List<PaymentLink> _recent = new List<PaymentLink>();
        private string? _stopReason;
        private int _consecutiveTransportFailures, _sending;

        private async Task SendAsync(RowState state, CancellationToken cancellationToken)
        {
            try
            {
                if (StopReason is string stopped) Emit(Outcome(state, BulkOutcomeKind.NotSent, error: NotSent(state.Row, stopped)));
                else if (_journal == null) Emit(await SendUnjournaledAsync(state, cancellationToken).ConfigureAwait(false));
                else Emit(await SendJournaledAsync(state, _journal, cancellationToken).ConfigureAwait(false));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Emit(Outcome(state, BulkOutcomeKind.NotSent, error: NotSent(state.Row, "stopped by the user")));
            }
            catch (Exception unexpected)
            {
                // Whatever went wrong, the row still gets its one outcome.
                Emit(Outcome(state, BulkOutcomeKind.Failed, error: unexpected));
            }
        }

        /// <summary>Without a journal an unknown outcome cannot be settled: it is reported as it is.</summary>
        private async Task<BulkOutcome> SendUnjournaledAsync(RowState state, CancellationToken cancellationToken)
        {
            try
            {
                var link = await SendOnceAsync(state.Body, state, cancellationToken).ConfigureAwait(false);
                return Outcome(state, BulkOutcomeKind.Created, link);
            }
            catch (RunStoppedException stopped) { return Outcome(state, BulkOutcomeKind.NotSent, error: NotSent(state.Row, stopped.Message)); }
            catch (Exception e) when (e is FinqLinkApiException || e is FinqLinkTransportException || e is FinqLinkOutcomeUnknownException)
            {
                return Outcome(state, BulkOutcomeKind.Failed, error: e);
            }
        }

        /// <summary>
        /// Journal, send, journal. An unknown outcome waits for reconciliation; a row proven not created is sent again (same
        /// slot: its earlier attempt made nothing), up to <see cref="BulkRunOptions.MaxAttempts"/> times.
        /// </summary>
        private async Task<BulkOutcome> SendJournaledAsync(RowState state, LinkJournal journal, CancellationToken cancellationToken)
        {
            var lane = LaneFor(state.RequestedExpiry);
            var slot = await _slots.AcquireAsync(lane, cancellationToken).ConfigureAwait(false);
            try
            {
                for (var attempt = 1; ; attempt++)
                {
                    if (StopReason is string stopped) return Outcome(state, BulkOutcomeKind.NotSent, error: NotSent(state.Row, stopped));
                    var expiresIn = (long)lane.ForSlot(slot).TotalSeconds;
                    var now = _options.Time.GetUtcNow();
                    try
                    {
                        await journal.AppendAsync(new JournalEntry
                        {
                            Key = state.Key, State = JournalState.Pending, Fingerprint = state.Fingerprint.Parts.ToDictionary(p => p.Key, p => p.Value),
                            ExpiresInSeconds = expiresIn, BaseExpiresInSeconds = (long)lane.Base.TotalSeconds, Lane = lane.Lane,
                            WindowFrom = _clock.ToServer(now, now).From, WindowTo = null, Attempt = attempt, Superseded = state.Superseded,
                        }).ConfigureAwait(false);
                    }
                    catch (JournalWriteException e)
                    {
                        Stop(e.Message);
                        return Outcome(state, BulkOutcomeKind.NotSent, error: NotSent(state.Row, e.Message));
                    }

                    PaymentLink link;
                    try { link = await SendOnceAsync(state.BodyWith(expiresIn), state, cancellationToken).ConfigureAwait(false); }
                    catch (RunStoppedException halted)
                    {
                        await RecordAsync(journal, new JournalEntry { Key = state.Key, State = JournalState.NotCreated, Error = "Not sent: " + halted.Message }).ConfigureAwait(false);
                        return Outcome(state, BulkOutcomeKind.NotSent, error: NotSent(state.Row, halted.Message));
                    }
                    catch (FinqLinkOutcomeUnknownException unknown)
                    {
                        Reconciled verdict;
                        try { verdict = await SettleAsync(state, journal, unknown, cancellationToken).ConfigureAwait(false); }
                        catch (BulkRowException unsettled) { return Outcome(state, BulkOutcomeKind.Failed, error: unsettled); }
                        if (verdict.Verdict == Verdict.Created) return Reconciled(state, verdict.Link!);
                        if (verdict.Verdict == Verdict.Ambiguous) return Ambiguous(state, verdict.Candidates);
                        if (attempt < _options.MaxAttempts && StopReason == null) continue;
                        return Outcome(state, BulkOutcomeKind.Failed, error: new BulkRowException(BulkRowProblem.NotCreated,
                            $"{state.Describe}: sent {attempt} times and no link was made ({unknown.InnerException?.Message ?? unknown.Message}); run again with the same journal to try again.", unknown));
                    }
                    catch (Exception e) when (e is FinqLinkApiException || e is FinqLinkTransportException)
                    {
                        await RecordAsync(journal, new JournalEntry { Key = state.Key, State = JournalState.NotCreated, Error = e.Message }).ConfigureAwait(false);
                        return Outcome(state, BulkOutcomeKind.Failed, error: e);
                    }
                    await RecordAsync(journal, Created(state.Key, link)).ConfigureAwait(false);
                    return Outcome(state, BulkOutcomeKind.Created, link);
                }
            }
            finally { _slots.Release(lane, slot); }
        }

        /// <summary>One links/create: counts what is in flight, learns the server's clock, and watches for an unreachable API.</summary>
        private async Task<PaymentLink> SendOnceAsync(System.Text.Json.Nodes.JsonObject body, RowState state, CancellationToken cancellationToken)
        {
            await _inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (StopReason is string stopped)
            {
                _inFlight.Release();
                throw new RunStoppedException(stopped);
            }
            var sentAt = _options.Time.GetUtcNow();
            lock (_gate) Summary.PeakInFlight = Math.Max(Summary.PeakInFlight, ++_sending);
            try
            {
                var link = await _client.Links.CreateAsync(body, state.Row.Options.FlowType, _requests, cancellationToken).ConfigureAwait(false);
                lock (_gate) _claimed.Add(link.LinkId);       // before anything else: reconciliation must never offer it to another row
                if (link.CreatedAt is DateTimeOffset createdAt) _clock.Observe(sentAt, _options.Time.GetUtcNow(), createdAt, TimeSpan.FromSeconds(1));
                Reached(true);
                return link;
            }
            catch (FinqLinkApiException)
            {
                Reached(true);
                throw;
            }
            catch (Exception e) when (e is FinqLinkTransportException || e is FinqLinkOutcomeUnknownException)
            {
                Reached(!(e is FinqLinkTransportException || e.InnerException is FinqLinkTransportException));
                throw;
            }
            finally
            {
                lock (_gate) _sending--;
                _inFlight.Release();
                state.ReleaseSendPermit();
            }
        }

        /// <summary>Too many rows in a row that never reach the API stop the run: the rest are reported, not hammered at a dead server.</summary>
        private void Reached(bool reached)
        {
            int failures;
            lock (_gate) failures = reached ? _consecutiveTransportFailures = 0 : ++_consecutiveTransportFailures;
            if (failures >= _options.MaxConsecutiveTransportFailures)
                Stop($"{failures} rows in a row could not reach the API; the run stopped sending. Run again with the same journal once it is reachable.");
        }

        private async Task RecordAsync(LinkJournal journal, JournalEntry entry)
        {
            try { await journal.AppendAsync(entry).ConfigureAwait(false); }
            catch (JournalWriteException e) { Stop(e.Message); }
        }

        private static JournalEntry Created(string key, PaymentLink link) => new JournalEntry
        {
            Key = key, State = JournalState.Created, LinkId = link.LinkId, WebUrl = link.WebUrl, Status = link.Status, ExpiresAt = link.ExpiresAt,
        };

        private BulkOutcome Reconciled(RowState state, PaymentLink link)
        {
            lock (_gate) Summary.Reconciled++;
            return Outcome(state, BulkOutcomeKind.Created, link);
        }

        private static BulkOutcome Ambiguous(RowState state, IReadOnlyList<string> candidates) =>
            Outcome(state, BulkOutcomeKind.Ambiguous, error: new BulkRowException(BulkRowProblem.Ambiguous,
                $"{state.Describe}: a link may have been created for this row but cannot be told apart from {string.Join(", ", candidates)}. "
                + "Check those links (Get-FinqLink -LinkId …) before running again.", candidates: candidates));

        private void Stop(string reason)
        {
            lock (_gate)
            {
                _stopReason ??= reason;
                Summary.StopReason = _stopReason;
            }
        }

        /// <summary>
        /// The lane of this run for a base expiry (in whole seconds, as expires_in is sent): chosen once, at random, among
        /// those recent links do not use and no other run of this user on this machine holds.
        /// </summary>
        private ExpiryLanes LaneFor(TimeSpan? requested)
        {
            var baseExpiry = TimeSpan.FromSeconds(Math.Floor((requested ?? ExpiryLanes.DefaultLinkExpiry).TotalSeconds));
            lock (_gate)
            {
                if (_lanes.TryGetValue(baseExpiry.Ticks, out var lane)) return lane;
                var inUse = _recent.Where(l => l.CreatedAt != null && l.ExpiresAt != null)
                    .Select(l => ExpiryLanes.LaneOf(baseExpiry, l.ExpiresAt!.Value - l.CreatedAt!.Value))
                    .Where(l => l != null).Select(l => l!.Value).ToList();
                var preferred = ExpiryLanes.InPreferredOrder(baseExpiry, inUse, _options.Random).ToList();
                var (chosen, how) = Reserve(baseExpiry, preferred);
                lane = new ExpiryLanes(baseExpiry, chosen);
                _options.Log?.Verbose($"Bulk run: expiry lane {lane.Lane} of {ExpiryLanes.LaneCount(baseExpiry)} ({inUse.Distinct().Count()} in use by links of the last 30 minutes; {how}).");
                return _lanes[baseExpiry.Ticks] = lane;
            }
        }

        /// <summary>The first lane in order that this run can hold; when none can be, the first, shared by chance (and said).</summary>
        private (int Lane, string How) Reserve(TimeSpan baseExpiry, IReadOnlyList<int> preferred)
        {
            foreach (var lane in preferred)
            {
                switch (_laneReservations.TryReserve(baseExpiry, lane))
                {
                    case LaneClaim.Held: return (lane, "held by this run");
                    case LaneClaim.Unavailable: return (lane, "chosen by chance: lanes cannot be marked on this machine");
                }
            }
            _options.Log?.Warning($"Every expiry lane for an expiry of {baseExpiry} is held by another run on this machine: this run shares lane {preferred[0]}; rows it cannot tell apart from the other run's are reported as ambiguous.");
            return (preferred[0], "shared: every lane is held");
        }

        /// <summary>The links of the last half hour: which lanes other runs use. The answer also starts the server clock.</summary>
        private void LookBack(CancellationToken cancellationToken)
        {
            var filter = new LinkListOptions { CreatedFrom = _options.Time.GetUtcNow() - TimeSpan.FromMinutes(30) };
            _recent = _client.Links.List(filter, new PageOptions { PageSize = PageOptions.MaxPageSize }, _requests, cancellationToken).Take(2000).ToList();
        }

        /// <summary>The run stopped while this row waited for its turn: it was not sent.</summary>
        private sealed class RunStoppedException : Exception
        {
            public RunStoppedException(string reason) : base(reason) { }
        }

        /// <summary>
        /// Hands out expiry slots, per lane, so that no two rows in flight or awaiting reconciliation share one; a row waits
        /// for a slot when all are held. Also says which expiries are held (they are this run's, even before their answer).
        /// A free slot is taken at random: should a run on another machine share the lane, its rows seldom hold the same
        /// slot at the same time, and its links at other slots show reconciliation that the lane is shared.
        /// </summary>
        private sealed class SlotPool
        {
            private readonly Dictionary<ExpiryLanes, (SemaphoreSlim Free, SortedSet<int> Slots)> _lanes = new Dictionary<ExpiryLanes, (SemaphoreSlim, SortedSet<int>)>();
            private readonly Random _random = new Random();

            public async Task<int> AcquireAsync(ExpiryLanes lane, CancellationToken cancellationToken)
            {
                var pool = PoolOf(lane);
                await pool.Free.WaitAsync(cancellationToken).ConfigureAwait(false);
                lock (_lanes)
                {
                    var slot = pool.Slots.ElementAt(_random.Next(pool.Slots.Count));
                    pool.Slots.Remove(slot);
                    return slot;
                }
            }

            public void Release(ExpiryLanes lane, int slot)
            {
                var pool = PoolOf(lane);
                lock (_lanes) pool.Slots.Add(slot);
                pool.Free.Release();
            }

            /// <summary>The expires_in values of the slots rows hold now.</summary>
            public ISet<long> HeldExpiries()
            {
                lock (_lanes)
                    return new HashSet<long>(_lanes.SelectMany(l => Enumerable.Range(0, ExpiryLanes.SlotsPerLane).Where(s => !l.Value.Slots.Contains(s))
                        .Select(s => (long)l.Key.ForSlot(s).TotalSeconds)));
            }

            private (SemaphoreSlim Free, SortedSet<int> Slots) PoolOf(ExpiryLanes lane)
            {
                lock (_lanes)
                {
                    if (!_lanes.TryGetValue(lane, out var pool))
                        _lanes[lane] = pool = (new SemaphoreSlim(ExpiryLanes.SlotsPerLane), new SortedSet<int>(Enumerable.Range(0, ExpiryLanes.SlotsPerLane)));
                    return pool;
                }
            }
        }
    }
}
