using System;
using System.Collections.Generic;
using FinqLink.Models;
using FinqLink.Options;
using FinqLink.Requests;
using FinqLink.Validation;

namespace FinqLink.Bulk
{
    /// <summary>One input row of a bulk run: what to create, its reference, and the object errors should point at.</summary>
    public sealed class BulkRow
    {
        public BulkRow(LinkCreateOptions options, string? reference, object? target)
        {
            Options = options;
            Reference = reference;
            Target = target;
        }

        /// <summary>A row one of whose values could not be read into <paramref name="options"/> (a duration or a flag written wrong): refused in its turn.</summary>
        public BulkRow(LinkCreateOptions options, string? reference, object? target, FinqLinkValidationException unreadable) : this(options, reference, target) =>
            Unreadable = unreadable;

        public LinkCreateOptions Options { get; }
        public FinqLinkValidationException? Unreadable { get; }
        /// <summary>The validated request, once the run has made it (null for a row refused before).</summary>
        public LinkCreateRequest? Request { get; internal set; }

        /// <summary>
        /// The row's request (see <see cref="RequestValidator.Link"/>). A row with an unreadable value is refused for it,
        /// unless its amount is wrong too: that is said first, as for any row.
        /// </summary>
        public LinkCreateRequest ToRequest()
        {
            if (Unreadable == null) return RequestValidator.Link(Options);
            RequestValidator.ReadAmount(Options);
            throw Unreadable;
        }
        public string? Reference { get; }
        /// <summary>The pipeline object the row came from.</summary>
        public object? Target { get; }
    }

    public enum BulkOutcomeKind
    {
        /// <summary>The link was created in this run (or found by reconciliation to have been).</summary>
        Created,
        /// <summary>The journal already held this row's link; nothing was sent.</summary>
        FromJournal,
        /// <summary>Refused before anything was sent: bad input, a repeated reference, a row changed since it was journaled.</summary>
        Rejected,
        /// <summary>Sent, and certainly not created (an API error), or its outcome could not be settled.</summary>
        Failed,
        /// <summary>A link may exist for the row, but which one cannot be told: see the candidates.</summary>
        Ambiguous,
        /// <summary>Not sent because the run stopped (the journal could not be written, or the API was unreachable).</summary>
        NotSent,
    }

    /// <summary>What became of one row. Every row added to a run gets exactly one, in the order the rows were added.</summary>
    public sealed class BulkOutcome
    {
        internal BulkOutcome(long index, BulkRow row, string? key, BulkOutcomeKind kind, PaymentLink? link, Exception? error)
        {
            Index = index;
            Row = row;
            Key = key;
            Kind = kind;
            Link = link;
            Error = error;
        }

        public long Index { get; }
        public BulkRow Row { get; }
        public string? Key { get; }
        public BulkOutcomeKind Kind { get; }
        public PaymentLink? Link { get; }
        public Exception? Error { get; }
        public bool Succeeded => Kind == BulkOutcomeKind.Created || Kind == BulkOutcomeKind.FromJournal;
    }

    /// <summary>Counts for a runbook to log or alert on.</summary>
    public sealed class BulkRunSummary
    {
        public long Rows { get; internal set; }
        public long Created { get; internal set; }
        public long FromJournal { get; internal set; }
        public long Superseded { get; internal set; }
        public long Rejected { get; internal set; }
        public long Failed { get; internal set; }
        public long Ambiguous { get; internal set; }
        public long NotSent { get; internal set; }
        /// <summary>Rows whose outcome was unknown at first and settled by reconciliation.</summary>
        public long Reconciled { get; internal set; }
        public long Throttled => Requests.Throttled;
        public long Retries => Requests.Retries;
        public int PeakInFlight { get; internal set; }
        public TimeSpan Elapsed { get; internal set; }
        /// <summary>Failures by reason: the API's error code, or a kind of failure (transport, unknown outcome, journal…).</summary>
        public Dictionary<string, long> FailuresByReason { get; } = new Dictionary<string, long>(StringComparer.Ordinal);
        public string? StopReason { get; internal set; }
        internal Http.RequestStats Requests { get; } = new Http.RequestStats();
    }
}
