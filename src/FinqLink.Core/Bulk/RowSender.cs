using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Http;
using FinqLink.Models;
using FinqLink.Requests;
using FinqLink.Services;

namespace FinqLink.Bulk
{
    /// <summary>
    /// Sends one row and answers its outcome. With a journal: journal, send, journal; an unknown outcome waits for
    /// reconciliation, and a row proven not created is sent again (same slot: its earlier attempt made nothing), up to
    /// <see cref="BulkRunOptions.MaxAttempts"/> times. Without one, an unknown outcome cannot be settled and is reported.
    /// </summary>
    internal sealed class RowSender
    {
        private readonly LinkService _links;
        private readonly RequestOptions _requests;
        private readonly ServerClock _clock;
        private readonly BulkRunOptions _options;
        private readonly Admission _admission;
        private readonly ClaimedLinks _claimed;
        private readonly Journaled? _journaled;
        private int _reconciled;

        /// <summary>A journaled run's parts: a row is sent only with all three.</summary>
        public sealed class Journaled
        {
            /// <param name="inFlightFor">How long after it was sent a request may still make a link: the timeout plus the grace after a drop.</param>
            public Journaled(LinkJournal journal, ISlotRegistry slots, Reconciliation reconciliation, TimeSpan inFlightFor)
            {
                Journal = journal;
                Slots = slots;
                Reconciliation = reconciliation;
                InFlightFor = inFlightFor;
            }

            public LinkJournal Journal { get; }
            public ISlotRegistry Slots { get; }
            public Reconciliation Reconciliation { get; }
            public TimeSpan InFlightFor { get; }
        }

        public RowSender(LinkService links, RequestOptions requests, ServerClock clock, BulkRunOptions options, Admission admission, ClaimedLinks claimed, Journaled? journaled)
        {
            _links = links;
            _requests = requests;
            _clock = clock;
            _options = options;
            _admission = admission;
            _claimed = claimed;
            _journaled = journaled;
        }

        /// <summary>Rows whose outcome was unknown at first and settled by reconciliation as created.</summary>
        public long Reconciled => Volatile.Read(ref _reconciled);

        /// <summary>The row's one outcome, whatever goes wrong.</summary>
        public async Task<BulkOutcome> SendAsync(PendingRow state, CancellationToken cancellationToken)
        {
            try
            {
                if (_admission.StopReason is string stopped) return BulkOutcomes.NotSent(state, stopped);
                return _journaled == null
                    ? await SendUnjournaledAsync(state, cancellationToken).ConfigureAwait(false)
                    : await SendJournaledAsync(state, _journaled, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return BulkOutcomes.NotSent(state, _admission.StopReason ?? "stopped by the user");
            }
            catch (Exception unexpected)
            {
                return BulkOutcomes.Of(state, BulkOutcomeKind.Failed, error: unexpected);
            }
        }

        private async Task<BulkOutcome> SendUnjournaledAsync(PendingRow state, CancellationToken cancellationToken)
        {
            try
            {
                var link = await SendOnceAsync(state.Request, state, cancellationToken).ConfigureAwait(false);
                return BulkOutcomes.Of(state, BulkOutcomeKind.Created, link);
            }
            catch (RunStoppedException stopped) { return BulkOutcomes.NotSent(state, stopped.Message); }
            catch (Exception e) when (e is FinqLinkApiException || e is FinqLinkTransportException || e is FinqLinkOutcomeUnknownException)
            {
                return BulkOutcomes.Of(state, BulkOutcomeKind.Failed, error: e);
            }
        }

        private async Task<BulkOutcome> SendJournaledAsync(PendingRow state, Journaled run, CancellationToken cancellationToken)
        {
            SlotLease slot;
            try { slot = await run.Slots.ReserveAsync(ExpiryLanes.BaseFor(state.RequestedExpiry), cancellationToken).ConfigureAwait(false); }
            catch (SlotRegistryException e)
            {
                _admission.Stop(e.Message);
                return BulkOutcomes.NotSent(state, e.Message);
            }
            using var held = slot;
            for (var attempt = 1; ; attempt++)
            {
                if (_admission.StopReason is string stopped) return BulkOutcomes.NotSent(state, stopped);
                var now = _options.Time.GetUtcNow();
                // The latest the server could make a link for this request, journaled too: a run that resumes this journal after a
                // crash settles the row over this window, which its slot is reserved for.
                var window = _clock.ToServer(now, now + run.InFlightFor);
                try
                {
                    await slot.CoverAsync(window.To, cancellationToken).ConfigureAwait(false);
                    var first = run.Journal.Find(state.Key) == null;
                    await run.Journal.AppendAsync(new JournalEntry
                    {
                        Key = state.Key, State = JournalState.Pending, Fingerprint = state.Fingerprint.Parts.ToDictionary(p => p.Key, p => p.Value),
                        ExpiresInSeconds = slot.ExpiresInSeconds, BaseExpiresInSeconds = slot.BaseExpiresInSeconds, Lane = slot.Lane,
                        WindowFrom = window.From, WindowTo = window.To, Attempt = attempt, Superseded = state.Superseded,
                        Reference = state.Row.Reference?.Trim(), RemittanceInformation = state.Row.Options.RemittanceInformation,
                        Run = first ? state.Run : (DateTimeOffset?)null, Row = first ? state.Index + 1 : (long?)null,
                    }).ConfigureAwait(false);
                }
                catch (SlotRegistryException e)
                {
                    _admission.Stop(e.Message);
                    return BulkOutcomes.NotSent(state, e.Message);
                }
                catch (JournalWriteException e)
                {
                    _admission.Stop(e.Message);
                    return BulkOutcomes.NotSent(state, e.Message);
                }

                PaymentLink link;
                try { link = await SendOnceAsync(state.Request.WithExpiresIn(slot.ExpiresInSeconds), state, cancellationToken).ConfigureAwait(false); }
                catch (RunStoppedException halted)
                {
                    await RecordAsync(run.Journal, new JournalEntry { Key = state.Key, State = JournalState.NotCreated, Error = "Not sent: " + halted.Message }).ConfigureAwait(false);
                    return BulkOutcomes.NotSent(state, halted.Message);
                }
                catch (FinqLinkOutcomeUnknownException unknown)
                {
                    Reconciled verdict;
                    try { verdict = await SettleAsync(state, run, unknown, cancellationToken).ConfigureAwait(false); }
                    catch (BulkRowException unsettled) { return BulkOutcomes.Of(state, BulkOutcomeKind.Failed, error: unsettled); }
                    if (verdict.Verdict == Verdict.Created)
                    {
                        Interlocked.Increment(ref _reconciled);
                        return BulkOutcomes.Of(state, BulkOutcomeKind.Created, verdict.Link);
                    }
                    if (verdict.Verdict == Verdict.Ambiguous) return BulkOutcomes.Ambiguous(state, verdict.Candidates);
                    if (attempt < _options.MaxAttempts && _admission.StopReason == null) continue;
                    return BulkOutcomes.Of(state, BulkOutcomeKind.Failed, error: new BulkRowException(BulkRowProblem.NotCreated,
                        $"{state.Describe}: sent {attempt} times and no link was made ({unknown.InnerException?.Message ?? unknown.Message}); run again with the same journal to try again.", unknown));
                }
                catch (Exception e) when (e is FinqLinkApiException || e is FinqLinkTransportException)
                {
                    await RecordAsync(run.Journal, new JournalEntry { Key = state.Key, State = JournalState.NotCreated, Error = e.Message }).ConfigureAwait(false);
                    return BulkOutcomes.Of(state, BulkOutcomeKind.Failed, error: e);
                }
                // The slot is free for another row once this entry is queued: the journal writes in order, so a row that
                // takes the slot next is sent only once this entry is on disk too (a re-run never sees both rows pending).
                var recorded = RecordAsync(run.Journal, Reconciliation.Created(state.Key, link));
                held.Dispose();
                await recorded.ConfigureAwait(false);
                return BulkOutcomes.Of(state, BulkOutcomeKind.Created, link);
            }
        }

        /// <summary>
        /// Records the unknown outcome and waits for reconciliation, which lists the links once the row's window has closed.
        /// Other rows go on meanwhile: the row keeps its expiry slot, so none of them can be mistaken for it.
        /// </summary>
        private async Task<Reconciled> SettleAsync(PendingRow state, Journaled run, FinqLinkOutcomeUnknownException unknown, CancellationToken cancellationToken)
        {
            var dropped = unknown.InnerException is FinqLinkTransportException || unknown.InnerException is FinqLinkResponseException;
            var now = _options.Time.GetUtcNow();
            // After a timeout or a dropped connection the server may still be at work: the window stays open a while longer.
            var until = now + (dropped ? _options.DroppedGrace : TimeSpan.Zero);
            await RecordAsync(run.Journal, new JournalEntry
            {
                Key = state.Key, State = JournalState.Unknown, WindowTo = _clock.ToServer(until, until).To, Error = unknown.Message,
            }).ConfigureAwait(false);
            var settled = run.Reconciliation.SettleAsync(state.Key, state.Describe, until + _options.SettleDelay, cancellationToken);
            _options.Log?.Verbose($"{state.Describe}: outcome unknown; the links created meanwhile will be listed to settle it.");
            return await settled.ConfigureAwait(false);
        }

        /// <summary>One links/create: counts what is in flight, learns the server's clock, and watches for an unreachable API.</summary>
        private async Task<PaymentLink> SendOnceAsync(LinkCreateRequest request, PendingRow state, CancellationToken cancellationToken)
        {
            using var flight = await _admission.EnterFlightAsync(cancellationToken).ConfigureAwait(false);
            var sentAt = _options.Time.GetUtcNow();
            try
            {
                var link = await _links.CreateAsync(request, _requests, cancellationToken).ConfigureAwait(false);
                _claimed.Add(link.LinkId);       // before anything else: reconciliation must never offer it to another row
                if (link.CreatedAt is DateTimeOffset createdAt) _clock.Observe(sentAt, _options.Time.GetUtcNow(), createdAt, TimeSpan.FromSeconds(1));
                _admission.Reached(true);
                return link;
            }
            catch (FinqLinkApiException)
            {
                _admission.Reached(true);
                throw;
            }
            catch (Exception e) when (e is FinqLinkTransportException || e is FinqLinkOutcomeUnknownException)
            {
                _admission.Reached(!(e is FinqLinkTransportException || e.InnerException is FinqLinkTransportException));
                throw;
            }
            finally { state.ReleasePlace(); }
        }

        private Task RecordAsync(LinkJournal journal, JournalEntry entry) => RecordAsync(journal, entry, _admission);

        /// <summary>Journals a step after the fact; a write that fails stops the run (the step itself has happened).</summary>
        public static async Task RecordAsync(LinkJournal journal, JournalEntry entry, Admission admission)
        {
            try { await journal.AppendAsync(entry).ConfigureAwait(false); }
            catch (JournalWriteException e) { admission.Stop(e.Message); }
        }
    }
}
