using System;
using FinqLink.Models;

namespace FinqLink.Ledger
{
    /// <summary>
    /// One row of a bulk run's journal, read as a ledger line: the invoice the row asked for, its link, and the link's
    /// status as last learned. A row that never got a link has <see cref="Problem"/> instead.
    /// </summary>
    public sealed class LedgerRow
    {
        public string? Reference { get; internal set; }
        /// <summary>The amount exactly as it was sent (the journal keeps the request's text, e.g. "1250.50").</summary>
        public decimal? Amount { get; internal set; }
        public string? Currency { get; internal set; }
        public string? RemittanceInformation { get; internal set; }
        /// <summary>The link's status as last learned (links/list or a webhook); null when the row has no link.</summary>
        public string? Status { get; internal set; }
        /// <summary>When the link got that status, if known: a webhook's arrival, or the first listing that showed it (it changed at or before then).</summary>
        public DateTimeOffset? StatusChangedAt { get; internal set; }
        public string? LinkId { get; internal set; }
        public string? WebUrl { get; internal set; }
        public DateTimeOffset? ExpiresAt { get; internal set; }
        /// <summary>Why the row has no link (refused, not sent, not created, or an attempt that could not be settled).</summary>
        public string? Problem { get; internal set; }

        public LedgerStanding Standing(DateTimeOffset now)
        {
            if (LinkId == null) return LedgerStanding.NoLink;
            if (LedgerStatuses.IsPaid(Status)) return LedgerStanding.Paid;
            if (LedgerStatuses.IsFailed(Status)) return LedgerStanding.Failed;
            return ExpiresAt is DateTimeOffset at && at <= now ? LedgerStanding.Expired : LedgerStanding.Open;
        }

        public override string ToString() => $"{Reference ?? LinkId} {(Amount is decimal a ? Money.Display(a, Currency) : "")} {Currency} {Status ?? Problem}".Trim();
    }

    /// <summary>Where a ledger row stands, for totals and filters.</summary>
    public enum LedgerStanding { Open, Paid, Failed, Expired, NoLink }

    /// <summary>How link statuses count in a ledger, and which one a late webhook may replace.</summary>
    public static class LedgerStatuses
    {
        /// <summary>The payer paid: completed, or confirmed on the creditor's account.</summary>
        public static bool IsPaid(string? status) => status == LinkStatuses.Completed || status == LinkStatuses.FundsReceived;

        /// <summary>No payment will come through this link.</summary>
        public static bool IsFailed(string? status) => status == LinkStatuses.Failed || status == LinkStatuses.Revoked || status == LinkStatuses.FundsRejected;

        /// <summary>
        /// Whether a webhook's <paramref name="next"/> status replaces <paramref name="known"/>: webhooks may arrive out of
        /// order, so a link never goes back along the flow, a terminal status stays, and only the creditor bank's
        /// confirmation follows "completed".
        /// </summary>
        public static bool Replaces(string? next, string? known)
        {
            if (next == null || next == known) return false;
            if (known == null) return true;
            if (LinkStatuses.IsTerminal(known)) return false;
            if (known == LinkStatuses.Completed) return Array.IndexOf(LinkStatuses.AfterCompletion, next) >= 0;
            if (LinkStatuses.IsTerminal(next) || next == LinkStatuses.Completed) return true;
            return Array.IndexOf(LinkStatuses.All, next) > Array.IndexOf(LinkStatuses.All, known);
        }
    }
}
