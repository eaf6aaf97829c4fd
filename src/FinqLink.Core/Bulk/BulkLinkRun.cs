using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Http;
using FinqLink.Requests;
using FinqLink.Validation;

namespace FinqLink.Bulk
{
    /// <summary>
    /// Creates one payment link per row, several at a time, and reports exactly one outcome per row, in the order the rows
    /// came. A create is sent once: an unknown outcome is settled by reconciliation (see <see cref="Reconciler"/>); a row
    /// proven not created is sent again. With a journal every step is durable before it happens, so a re-run (even after a
    /// crash) creates only what is missing. Rows are answered from the journal when it already holds their link; a row
    /// whose contents changed since is refused, naming what changed. The parts: <see cref="OrderedOutput{T}"/>,
    /// <see cref="Admission"/>, <see cref="RowSender"/>, <see cref="Reconciliation"/>, the journal's
    /// <see cref="IJournalStore"/> and the <see cref="ISlotRegistry"/>.
    /// </summary>
    public sealed class BulkLinkRun : IDisposable
    {
        private readonly FinqLinkClient _client;
        private readonly BulkRunOptions _options;
        private readonly Action<BulkOutcome> _emit;
        private readonly ServerClock _clock;
        private readonly RequestOptions _requests;
        private readonly ILinkWindow _window;
        private readonly OrderedOutput<BulkOutcome> _output;
        private readonly Admission _admission;
        private readonly ClaimedLinks _claimed = new ClaimedLinks();
        private readonly TaskCompletionSource<bool> _allSent = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly HashSet<string> _keys = new HashSet<string>(StringComparer.Ordinal);    // rows are added one at a time
        private readonly HashSet<string> _settledFromAmbiguous = new HashSet<string>(StringComparer.Ordinal);   // written by Open, read as rows are added
        private readonly Stopwatch _elapsed = Stopwatch.StartNew();
        // Linked into every row's send: cancels what is still under way when the run is cut short (see Halt).
        private readonly CancellationTokenSource _cut = new CancellationTokenSource();
        private bool? _halted;
        private readonly DateTimeOffset _started;
        private int _unsent = 1;    // rows being sent, plus one for the run until CompleteAsync
        private int _completing;
        private LinkJournal? _journal;
        private ISlotRegistry? _slots;
        private RowSender _sender;

        /// <param name="emit">Called with each outcome, in row order, one at a time, from any thread.</param>
        public BulkLinkRun(FinqLinkClient client, BulkRunOptions options, Action<BulkOutcome> emit)
        {
            if (options.ThrottleLimit < 1 || options.ThrottleLimit > ExpiryLanes.SlotsPerLane)
                throw new ArgumentOutOfRangeException(nameof(options), $"ThrottleLimit must be between 1 and {ExpiryLanes.SlotsPerLane}.");
            _client = client;
            _options = options;
            _emit = emit;
            _clock = new ServerClock(options.Time);
            _started = options.Time.GetUtcNow();
            _requests = new RequestOptions
            {
                Log = options.Log, Limiter = new AdaptiveConcurrencyLimiter(options.ThrottleLimit), ServerClock = _clock, Stats = Summary.Requests,
            };
            _window = new ApiLinkWindow(client.Links, _requests);
            _output = new OrderedOutput<BulkOutcome>(ReorderWindow, HandOn);
            _admission = new Admission(options.ThrottleLimit, options.MaxConsecutiveTransportFailures, reason => _output.Change(() => Summary.StopReason = reason),
                journaled: options.JournalPath != null);
            _sender = new RowSender(client.Links, _requests, _clock, options, _admission, _claimed, null);
        }

        /// <summary>Rows taken but not yet written, at most.</summary>
        public const int ReorderWindow = 2048;

        public BulkRunSummary Summary { get; } = new BulkRunSummary();

        /// <summary>Set when the run stopped sending (the journal could not be written, or the API was unreachable).</summary>
        public string? StopReason => _admission.StopReason;

        /// <summary>Creates being sent now: for a progress display.</summary>
        public int InFlight => _admission.InFlight;

        /// <summary>
        /// Reads the summary while no outcome changes it: the summary of a run interrupted while rows are still in flight
        /// (their outcomes keep counting on other threads).
        /// </summary>
        public T ReadSummary<T>(Func<BulkRunSummary, T> read)
        {
            if (read == null) throw new ArgumentNullException(nameof(read));
            return _output.Read(() =>
            {
                // Copied by CompleteAsync too; a run cut short never gets there.
                Summary.PeakInFlight = _admission.PeakInFlight;
                Summary.Reconciled = _sender.Reconciled;
                return read(Summary);
            });
        }

        /// <summary>What opening the journal repaired, if anything (a torn last line).</summary>
        public string? JournalRepaired => _journal?.Repaired;

        /// <summary>Opens the journal (exclusively) and settles the rows an earlier run left uncertain.</summary>
        public IReadOnlyList<Reconciled> Open(CancellationToken cancellationToken)
        {
            if (_options.JournalPath == null) return Array.Empty<Reconciled>();
            var storeOptions = _options.JournalStore;
            storeOptions.Log ??= _options.Log;
            var store = _options.OpenJournalStore?.Invoke(_options.JournalPath)
                        ?? JournalStores.OpenAsync(_options.JournalPath, storeOptions, cancellationToken).GetAwaiter().GetResult();
            var journal = _journal = LinkJournal.Over(store, () => _options.Time.GetUtcNow());
            var owner = RefuseAnotherClients(journal);
            // The links of the last half hour: which lanes other runs use. The answer also starts the server clock.
            var recent = _window.CreatedBetween(_options.Time.GetUtcNow() - TimeSpan.FromMinutes(30), null, cancellationToken).Take(2000).ToList();
            // Named only now that the API has answered: a wrong address or client that fails here leaves the journal as it was.
            if (journal.Owner == null)
            {
                HoldsThisApisLinks(journal, owner, cancellationToken);
                journal.AppendAsync(owner.ToEntry()).GetAwaiter().GetResult();
            }
            var inFlightFor = _client.Options.Timeout + _options.DroppedGrace;
            var slots = _slots = SlotRegistryFor(store, journal.Location, recent, inFlightFor);
            var reconciliation = new Reconciliation(_window, journal, slots.HeldExpiries, _claimed, _options.Time, entry => RowSender.RecordAsync(journal, entry, _admission));
            _sender = new RowSender(_client.Links, _requests, _clock, _options, _admission, _claimed, new RowSender.Journaled(journal, slots, reconciliation, inFlightFor));
            var settled = Reconciliation.SettlePreviousRun(journal, _window, inFlightFor, OtherJournalsOf(store), cancellationToken);
            foreach (var resolved in settled.Where(s => s.Entry.State == JournalState.Ambiguous && s.Verdict == Verdict.Created)) _settledFromAmbiguous.Add(resolved.Entry.Key);
            return settled;
        }

        /// <summary>Refuses (and closes) a journal of another API client or address; returns this run's owner.</summary>
        private JournalOwner RefuseAnotherClients(LinkJournal journal)
        {
            var session = JournalOwner.Of(_client.Options);
            if (journal.Owner is JournalOwner recorded && !recorded.IsSameAs(session))
                throw Refused(journal, new JournalOfAnotherClientException(journal.Location, recorded, session));
            return session;
        }

        /// <summary>
        /// A journal that names no client yet (written by an earlier version) is named by this run only if one of its links
        /// is at this API: one links/get. Otherwise it records another API's links (a sandbox's, say), and is refused.
        /// </summary>
        private void HoldsThisApisLinks(LinkJournal journal, JournalOwner session, CancellationToken cancellationToken)
        {
            if (!(journal.AnyCreatedLinkId() is string linkId)) return;
            try { _client.Links.GetAsync(linkId, null, cancellationToken).GetAwaiter().GetResult(); }
            catch (FinqLinkApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                throw Refused(journal, new JournalOfAnotherClientException(journal.Location, linkId, session));
            }
        }

        /// <summary>Closes a journal this run may not use (its lock or lease is given back) and returns why, to throw.</summary>
        private JournalOfAnotherClientException Refused(LinkJournal journal, JournalOfAnotherClientException why)
        {
            _journal = null;
            journal.Dispose();
            return why;
        }

        /// <summary>The other journals beside this one that a store can read: in storage, the store's own; for a file, the files beside it.</summary>
        private static IOtherJournals? OtherJournalsOf(IJournalStore store) =>
            store as IOtherJournals ?? (store is FileJournalStore ? new LocalOtherJournals(store.Location) : null);

        /// <summary>The storage account's registry for a journal in storage (global to the API client); lanes on this machine for a local one.</summary>
        private ISlotRegistry SlotRegistryFor(IJournalStore store, string journal, IReadOnlyList<Models.PaymentLink> recent, TimeSpan inFlightFor)
        {
            var api = _client.Options.Paths.BaseUri;
            if (store is ISlotRegistryHost host)
                return new StorageSlotRegistry(host.SlotRecords, api.GetLeftPart(UriPartial.Authority).ToLowerInvariant() + " " + _client.Options.ClientId,
                    journal, _clock, _options.Time, inFlightFor, _admission.RowsAhead, () => _admission.StopReason == null && _journal?.AllWritten == true, _options.Random, _options.Log);
            // The host, not the port: a local sandbox gets a new port each start, and coordinating too broadly costs nothing.
            return new LocalLaneRegistry(api.Host.ToLowerInvariant() + " " + _client.Options.ClientId, _options.LaneFolder, recent, _options.Random, _options.Log);
        }

        /// <summary>
        /// Takes the next row. Waits while too many rows are ahead of it; its outcome is emitted in turn. Answers false once
        /// the run has stopped (the row is then reported as not sent).
        /// </summary>
        public async Task<bool> AddAsync(BulkRow row, CancellationToken cancellationToken)
        {
            var index = await _output.TakeAsync(cancellationToken).ConfigureAwait(false);
            _output.Change(() => Summary.Rows++);
            if (StopReason is string stopped)
            {
                _output.Put(index, BulkOutcomes.Of(index, row, null, BulkOutcomeKind.NotSent, error: BulkOutcomes.NotSentError(row, stopped)));
                return false;
            }
            LinkCreateRequest request;
            try { request = row.Request = row.ToRequest(); }
            catch (FinqLinkValidationException invalid)
            {
                Interlocked.Increment(ref _unsent);
                _ = RefuseAsync(index, row, invalid);
                return true;
            }
            var fingerprint = RowFingerprint.Of(request);
            var state = new PendingRow(index, row, RowKey.For(row.Reference, fingerprint), request, fingerprint) { Run = _started };
            if (!Admit(state)) return true;
            try { state.HoldPlace(await _admission.TakeRowAsync(cancellationToken).ConfigureAwait(false)); }
            catch (OperationCanceledException)
            {
                _output.Put(index, BulkOutcomes.NotSent(state, "stopped by the user"));
                throw;
            }
            Interlocked.Increment(ref _unsent);
            var sender = _sender;
            _ = Task.Run(async () =>
            {
                using var sending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _cut.Token);
                try { _output.Put(index, await sender.SendAsync(state, sending.Token).ConfigureAwait(false)); }
                finally
                {
                    state.ReleasePlace();
                    Sent();
                }
            }, CancellationToken.None);   // always runs, so the row gives its place back even when cancelled
            return true;
        }

        /// <summary>
        /// Reports a refused row once its refusal is journaled. The row's entry is queued before this returns (the journal's
        /// order is the input's); only the wait for the disk is left to the thread pool, so the next row is taken meanwhile
        /// and a file of refused rows shares flushes.
        /// </summary>
        private async Task RefuseAsync(long index, BulkRow row, Exception invalid)
        {
            try { await JournalRefusalAsync(index, row, invalid).ConfigureAwait(false); }
            finally
            {
                _output.Put(index, BulkOutcomes.Of(index, row, null, BulkOutcomeKind.Rejected, error: invalid));
                Sent();
            }
        }

        /// <summary>
        /// Records why a row with a reference was refused, so the journal (the run's ledger) lists it too; never over a row
        /// the journal holds a link or an attempt for. A row without a reference has nothing to be known by.
        /// </summary>
        private async Task JournalRefusalAsync(long index, BulkRow row, Exception reason)
        {
            if (_journal == null || !(RowKey.Normalize(row.Reference) is string reference)) return;
            var key = "ref:" + reference;
            var entry = _journal.Find(key);
            if (entry != null && !JournalState.MaySend(entry.State)) return;
            var line = new JournalEntry
            {
                Key = key, State = JournalState.Refused, Error = reason.Message, Reference = row.Reference!.Trim(),
                RemittanceInformation = row.Options.RemittanceInformation,
                Fingerprint = new Dictionary<string, string> { [RowFingerprint.CurrencyPart] = row.Options.Currency?.Trim().ToUpperInvariant() ?? "" },
            };
            if (entry == null) (line.Run, line.Row) = (_started, index + 1);
            try { await _journal.AppendAsync(line).ConfigureAwait(false); }
            catch (JournalWriteException e) { _admission.Stop(e.Message); }
        }

        /// <summary>Waits until every row added has its outcome.</summary>
        public async Task CompleteAsync()
        {
            if (Interlocked.Exchange(ref _completing, 1) == 0) Sent();
            await _allSent.Task.ConfigureAwait(false);
            Summary.Elapsed = _elapsed.Elapsed;
            Summary.PeakInFlight = _admission.PeakInFlight;
            Summary.Reconciled = _sender.Reconciled;
        }

        // No list of the rows' tasks: a finished task keeps its row's body alive, and the run's memory would grow with its input.
        private void Sent()
        {
            if (Interlocked.Decrement(ref _unsent) == 0) _allSent.TrySetResult(true);
        }

        /// <summary>Decides whether the row is sent: not when it repeats a row of this run, or when the journal already answers it.</summary>
        private bool Admit(PendingRow state)
        {
            var name = state.Describe;
            if (!_keys.Add(state.Key))
            {
                _output.Put(state.Index, BulkOutcomes.Of(state, BulkOutcomeKind.Rejected, error: new BulkRowException(BulkRowProblem.Duplicate,
                    $"{name}: appears twice in this run; each row needs its own reference (or distinct contents).")));
                return false;
            }
            var entry = _journal?.Find(state.Key);
            if (entry == null || JournalState.MaySend(entry.State)) return true;

            var changes = entry.Fingerprint == null ? Array.Empty<string>() : state.Fingerprint.ChangesSince(RowFingerprint.FromParts(OnlyGiven(entry.Fingerprint, state.Fingerprint)));
            if (entry.State == JournalState.Created && changes.Count == 0)
            {
                if (_options.Supersede && _settledFromAmbiguous.Contains(state.Key))
                    _options.Log?.Warning($"{name}: link {entry.LinkId} is this row's (settled from what the journals now say); -Supersede makes no second link for it.");
                _output.Put(state.Index, BulkOutcomes.Of(state, BulkOutcomeKind.FromJournal, BulkOutcomes.FromJournal(entry)));
                return false;
            }
            if (_options.Supersede && (entry.State == JournalState.Created || entry.State == JournalState.Ambiguous))
            {
                state.Superseded = (entry.Superseded ?? Array.Empty<string>()).Concat(entry.LinkId != null ? new[] { entry.LinkId } : entry.Candidates ?? Array.Empty<string>()).ToArray();
                return true;
            }
            _output.Put(state.Index, BulkOutcomes.Of(state, BulkOutcomeKind.Rejected, error: BulkOutcomes.JournalRefusal(name, entry, changes)));
            return false;
        }

        /// <summary>
        /// The journaled parts, with those the row leaves out (no creditor, debtor or remittance column: a ledger exported
        /// to CSV and fed back) taken as the row's: answering such a row from the journal sends nothing, so it cannot
        /// create twice or reinterpret money; amount and currency are always compared.
        /// </summary>
        private static Dictionary<string, string> OnlyGiven(Dictionary<string, string> journaled, RowFingerprint row) =>
            journaled.ToDictionary(p => p.Key, p => row.Parts.TryGetValue(p.Key, out var given) && given.Length == 0 && p.Key != RowFingerprint.AmountPart
                && p.Key != RowFingerprint.CurrencyPart ? given : p.Value, StringComparer.Ordinal);

        /// <summary>Counts each outcome and hands it on; called in row order, one at a time.</summary>
        private void HandOn(BulkOutcome outcome)
        {
            Count(outcome);
            _emit(outcome);
        }

        private void Count(BulkOutcome outcome)
        {
            switch (outcome.Kind)
            {
                case BulkOutcomeKind.Created:
                    Summary.Created++;
                    if (outcome.Link?.SupersededLinkIds != null) Summary.Superseded++;
                    break;
                case BulkOutcomeKind.FromJournal: Summary.FromJournal++; break;
                case BulkOutcomeKind.Rejected: Summary.Rejected++; break;
                case BulkOutcomeKind.Ambiguous: Summary.Ambiguous++; break;
                case BulkOutcomeKind.NotSent: Summary.NotSent++; break;
                default: Summary.Failed++; break;
            }
            if (outcome.Error != null && outcome.Kind != BulkOutcomeKind.Rejected)
            {
                var reason = Reason(outcome.Error);
                Summary.FailuresByReason[reason] = Summary.FailuresByReason.TryGetValue(reason, out var n) ? n + 1 : 1;
            }
        }

        private static string Reason(Exception error) => error switch
        {
            FinqLinkApiException api => api.Code ?? ((int)api.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture),
            FinqLinkOutcomeUnknownException _ => "outcome_unknown",
            FinqLinkTransportException _ => "transport",
            BulkRowException row => row.Problem.ToString(),
            JournalWriteException _ => "journal",
            _ => error.GetType().Name,
        };

        /// <summary>
        /// Cuts the run short (a later command stopped the pipeline, -ErrorAction Stop, Ctrl+C): sends no more rows, and
        /// gives the rows under way up to <see cref="BulkRunOptions.HaltGrace"/> to end, so that a link made meanwhile is
        /// journaled and counted. Then cancels the rest (a journal keeps them for the next run to settle) and waits a little
        /// for them to record that. Answers whether every row ended; called again, answers the same without waiting.
        /// </summary>
        /// <remarks>
        /// Blocks: call it from the thread that gave up on the run. A row waiting for that thread (a signer script on the
        /// pipeline thread) cannot end meanwhile, and is left to its journal once the waits are over.
        /// </remarks>
        public bool Halt()
        {
            if (_halted is bool halted) return halted;
            _admission.Halt("the run was cut short before this row was sent.");
            if (Interlocked.Exchange(ref _completing, 1) == 0) Sent();
            if (!_allSent.Task.Wait(_options.HaltGrace))
            {
                _cut.Cancel();
                _allSent.Task.Wait(CancelledRowsGrace);
            }
            Summary.Elapsed = _elapsed.Elapsed;
            return (_halted = _allSent.Task.IsCompleted).Value;
        }

        /// <summary>How long cancelled rows get to journal that they ended.</summary>
        private static readonly TimeSpan CancelledRowsGrace = TimeSpan.FromSeconds(2);

        /// <summary>Halts the run first if it did not complete: nothing is freed while rows are still being sent.</summary>
        public void Dispose()
        {
            if (!_allSent.Task.IsCompleted) Halt();
            _cut.Dispose();
            _journal?.Dispose();
            _slots?.Dispose();
            _output.Dispose();
            _admission.Dispose();
        }
    }
}
