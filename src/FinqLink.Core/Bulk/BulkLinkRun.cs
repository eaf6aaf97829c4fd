using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Http;
using FinqLink.Models;
using FinqLink.Validation;

namespace FinqLink.Bulk
{
    /// <summary>
    /// Creates one payment link per row, several at a time, and reports exactly one outcome per row, in the order the rows
    /// came. A create is sent once: an unknown outcome pauses sending until the rows in flight settle, then reconciliation
    /// decides (see <see cref="Reconciler"/>); a row proven not created is sent again. With a journal every step is on disk
    /// before it happens, so a re-run (even after a crash) creates only what is missing. Rows are answered from the journal
    /// when it already holds their link; a row whose contents changed since is refused, naming what changed.
    /// </summary>
    public sealed partial class BulkLinkRun : IDisposable
    {
        private readonly FinqLinkClient _client;
        private readonly BulkRunOptions _options;
        private readonly Action<BulkOutcome> _emit;
        private readonly ServerClock _clock;
        private readonly RequestOptions _requests;
        private readonly SemaphoreSlim _accepted;
        private readonly SemaphoreSlim _inFlight;
        private readonly SemaphoreSlim _sendable;
        private readonly TaskCompletionSource<bool> _allSent = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly object _gate = new object();
        private readonly SortedDictionary<long, BulkOutcome> _ready = new SortedDictionary<long, BulkOutcome>();
        private readonly HashSet<string> _keys = new HashSet<string>(StringComparer.Ordinal);
        private readonly Stopwatch _elapsed = Stopwatch.StartNew();
        private long _nextIndex, _nextToEmit;
        private int _unsent = 1;    // rows being sent, plus one for the run until CompleteAsync
        private int _completing;
        private LinkJournal? _journal;

        /// <param name="emit">Called with each outcome, in row order, one at a time, from any thread.</param>
        public BulkLinkRun(FinqLinkClient client, BulkRunOptions options, Action<BulkOutcome> emit)
        {
            if (options.ThrottleLimit < 1 || options.ThrottleLimit > ExpiryLanes.SlotsPerLane)
                throw new ArgumentOutOfRangeException(nameof(options), $"ThrottleLimit must be between 1 and {ExpiryLanes.SlotsPerLane}.");
            _client = client;
            _options = options;
            _emit = emit;
            _clock = new ServerClock(options.Time);
            _requests = new RequestOptions
            {
                Log = options.Log, Limiter = new AdaptiveConcurrencyLimiter(options.ThrottleLimit), ServerClock = _clock, Stats = Summary.Requests,
            };
            _inFlight = new SemaphoreSlim(options.ThrottleLimit);
            // Bounds the rows waiting to be written in order behind a slow one (an unknown outcome waits seconds to be settled):
            // memory stays flat however long the input, and a few such rows do not stall the others.
            _accepted = new SemaphoreSlim(ReorderWindow);
            // Rows are taken from the input only a little ahead of the requests, so the rows waiting to be sent stay few however
            // long the input. A row gives its place back once its first request is answered: one waiting to be settled does not
            // hold back the rows behind it.
            _sendable = new SemaphoreSlim(options.ThrottleLimit * 2);
            // The host, not the port: a local sandbox gets a new port each start, and coordinating too broadly costs nothing.
            _laneReservations = new LaneReservations(client.Options.Paths.BaseUri.Host.ToLowerInvariant() + " " + client.Options.ClientId, options.LaneFolder);
        }

        /// <summary>Rows taken but not yet written, at most.</summary>
        public const int ReorderWindow = 2048;

        public BulkRunSummary Summary { get; } = new BulkRunSummary();

        /// <summary>Set when the run stopped sending (the journal could not be written, or the API was unreachable).</summary>
        public string? StopReason { get { lock (_gate) return _stopReason; } }

        /// <summary>What opening the journal repaired, if anything (a torn last line).</summary>
        public string? JournalRepaired => _journal?.Repaired;

        /// <summary>Opens the journal (exclusively) and settles the rows an earlier run left uncertain.</summary>
        public IReadOnlyList<Reconciled> Open(CancellationToken cancellationToken)
        {
            if (_options.JournalPath == null) return Array.Empty<Reconciled>();
            _journal = (_options.OpenJournal ?? (path => LinkJournal.Open(path, () => _options.Time.GetUtcNow())))(_options.JournalPath);
            LookBack(cancellationToken);
            return SettlePreviousRun(cancellationToken);
        }

        /// <summary>
        /// Takes the next row. Waits while too many rows are ahead of it; its outcome is emitted in turn. Answers false once
        /// the run has stopped (the row is then reported as not sent).
        /// </summary>
        public async Task<bool> AddAsync(BulkRow row, CancellationToken cancellationToken)
        {
            var index = _nextIndex++;
            await _accepted.WaitAsync(cancellationToken).ConfigureAwait(false);
            lock (_gate) Summary.Rows++;
            if (StopReason is string stopped)
            {
                Emit(Outcome(index, row, null, BulkOutcomeKind.NotSent, error: NotSent(row, stopped)));
                return false;
            }
            JsonObject body;
            try { body = row.Options.ToBody(); }
            catch (FinqLinkValidationException invalid)
            {
                Emit(Outcome(index, row, null, BulkOutcomeKind.Rejected, error: invalid));
                return true;
            }
            var fingerprint = RowFingerprint.Of(body);
            var key = RowKey.For(row.Reference, fingerprint);
            var state = new RowState(index, row, key, body, fingerprint);
            if (!Admit(state)) return true;
            try { await _sendable.WaitAsync(cancellationToken).ConfigureAwait(false); }
            catch (OperationCanceledException)
            {
                Emit(Outcome(state, BulkOutcomeKind.NotSent, error: NotSent(row, "stopped by the user")));
                throw;
            }
            state.SendPermit = _sendable;
            Interlocked.Increment(ref _unsent);
            _ = Task.Run(async () =>
            {
                try { await SendAsync(state, cancellationToken).ConfigureAwait(false); }
                finally
                {
                    state.ReleaseSendPermit();
                    Sent();
                }
            }, CancellationToken.None);   // always runs, so the row gives its permit back even when cancelled
            return true;
        }

        /// <summary>Takes a row that failed before it could be built (a value that cannot be read): reported in its turn.</summary>
        public async Task RejectAsync(BulkRow row, Exception reason, CancellationToken cancellationToken)
        {
            var index = _nextIndex++;
            await _accepted.WaitAsync(cancellationToken).ConfigureAwait(false);
            lock (_gate) Summary.Rows++;
            Emit(Outcome(index, row, null, BulkOutcomeKind.Rejected, error: reason));
        }

        /// <summary>Waits until every row added has its outcome.</summary>
        public async Task CompleteAsync()
        {
            if (Interlocked.Exchange(ref _completing, 1) == 0) Sent();
            await _allSent.Task.ConfigureAwait(false);
            lock (_gate) Summary.Elapsed = _elapsed.Elapsed;
        }

        // No list of the rows' tasks: a finished task keeps its row's body alive, and the run's memory would grow with its input.
        private void Sent()
        {
            if (Interlocked.Decrement(ref _unsent) == 0) _allSent.TrySetResult(true);
        }

        /// <summary>Decides whether the row is sent: not when it repeats a row of this run, or when the journal already answers it.</summary>
        private bool Admit(RowState state)
        {
            var name = state.Describe;
            if (!_keys.Add(state.Key))
            {
                Emit(Outcome(state, BulkOutcomeKind.Rejected, error: new BulkRowException(BulkRowProblem.Duplicate,
                    $"{name}: appears twice in this run; each row needs its own reference (or distinct contents).")));
                return false;
            }
            var entry = _journal?.Find(state.Key);
            if (entry == null || entry.State == JournalState.NotCreated) return true;

            var changes = entry.Fingerprint == null ? Array.Empty<string>() : state.Fingerprint.ChangesSince(RowFingerprint.FromParts(entry.Fingerprint));
            if (entry.State == JournalState.Created && changes.Count == 0)
            {
                Emit(Outcome(state, BulkOutcomeKind.FromJournal, FromJournal(entry)));
                return false;
            }
            if (_options.Supersede && (entry.State == JournalState.Created || entry.State == JournalState.Ambiguous))
            {
                state.Superseded = (entry.Superseded ?? Array.Empty<string>()).Concat(entry.LinkId != null ? new[] { entry.LinkId } : entry.Candidates ?? Array.Empty<string>()).ToArray();
                return true;
            }
            Emit(Outcome(state, BulkOutcomeKind.Rejected, error: JournalRefusal(name, entry, changes)));
            return false;
        }

        private static BulkRowException JournalRefusal(string name, JournalEntry entry, IReadOnlyList<string> changes)
        {
            switch (entry.State)
            {
                case JournalState.Created:
                    return new BulkRowException(BulkRowProblem.Changed,
                        $"{name}: the journal holds link {entry.LinkId}, created for different contents ({string.Join("; ", changes)}). "
                        + "Nothing was sent. Check that link; to create a new one for the row as it is now, run again with -Supersede.",
                        changes: changes);
                case JournalState.Ambiguous:
                    return new BulkRowException(BulkRowProblem.Ambiguous,
                        $"{name}: a link may already exist for this row but cannot be told apart from {string.Join(", ", entry.Candidates ?? Array.Empty<string>())}. "
                        + "Nothing was sent. Check those links (Get-FinqLink -LinkId …); -Supersede creates a new one regardless.",
                        candidates: entry.Candidates);
                default:
                    return new BulkRowException(BulkRowProblem.Unfinished,
                        $"{name}: the journal holds an attempt whose outcome could not be settled (the API could not be asked); nothing was sent. Run again later.");
            }
        }

        private static PaymentLink FromJournal(JournalEntry entry) => new PaymentLink
        {
            LinkId = entry.LinkId!, WebUrl = entry.WebUrl, Status = entry.Status, ExpiresAt = entry.ExpiresAt, FromJournal = true,
        };

        private static BulkRowException NotSent(BulkRow row, string reason) =>
            new BulkRowException(BulkRowProblem.NotSent, $"{RowState.DescribeRow(row)}: not sent, because the run stopped: {reason}");

        private static BulkOutcome Outcome(RowState state, BulkOutcomeKind kind, PaymentLink? link = null, Exception? error = null) =>
            Outcome(state.Index, state.Row, state.Key, kind, link, error, state.Superseded);

        private static BulkOutcome Outcome(long index, BulkRow row, string? key, BulkOutcomeKind kind, PaymentLink? link = null, Exception? error = null, string[]? superseded = null)
        {
            if (link != null)
            {
                link.Reference = row.Reference;
                link.Amount = row.Options.Amount;
                link.Currency = row.Options.Currency?.Trim().ToUpperInvariant();
                link.RemittanceInformation = row.Options.RemittanceInformation;
                if (superseded != null && superseded.Length > 0) link.SupersededLinkIds = superseded;
            }
            return new BulkOutcome(index, row, key, kind, link, error);
        }

        /// <summary>Holds outcomes until every earlier row has one, then hands them on in order.</summary>
        private void Emit(BulkOutcome outcome)
        {
            lock (_gate)
            {
                Count(outcome);
                _ready[outcome.Index] = outcome;
                while (_ready.TryGetValue(_nextToEmit, out var next))
                {
                    _ready.Remove(_nextToEmit++);
                    _emit(next);
                    _accepted.Release();
                }
            }
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

        public void Dispose()
        {
            _journal?.Dispose();
            _laneReservations.Dispose();
            _accepted.Dispose();
            _inFlight.Dispose();
            _sendable.Dispose();
        }

        /// <summary>A row on its way: what it sends and what the journal knows it by.</summary>
        private sealed class RowState
        {
            public RowState(long index, BulkRow row, string key, JsonObject body, RowFingerprint fingerprint)
            {
                Index = index;
                Row = row;
                Key = key;
                Body = body;
                Fingerprint = fingerprint;
            }

            public long Index { get; }
            public BulkRow Row { get; }
            public string Key { get; }
            public JsonObject Body { get; }
            public RowFingerprint Fingerprint { get; }
            public string[]? Superseded { get; set; }
            public string Describe => DescribeRow(Row);

            /// <summary>The row's place among those taken ahead of the requests; given back once, when its first request ends.</summary>
            public SemaphoreSlim? SendPermit;

            public void ReleaseSendPermit() => Interlocked.Exchange(ref SendPermit, null)?.Release();

            public static string DescribeRow(BulkRow row) =>
                RowKey.Normalize(row.Reference) != null ? row.Reference!.Trim() : $"the row for {row.Options.Amount} {row.Options.Currency?.Trim()}";

            /// <summary>The body with this attempt's expires_in (the slot of the run's lane).</summary>
            public JsonObject BodyWith(long expiresIn)
            {
                var body = (JsonObject)Body.DeepClone();
                ((JsonObject)(body["options"] ??= new JsonObject()))["expires_in"] = expiresIn;
                return body;
            }

            public TimeSpan? RequestedExpiry => Row.Options.ExpiresIn;
        }
    }
}
