using System;
using System.Collections.Generic;
using FinqLink.Models;

namespace FinqLink.Bulk
{
    /// <summary>The outcomes a run reports, and the messages that name the row.</summary>
    internal static class BulkOutcomes
    {
        public static BulkOutcome Of(PendingRow state, BulkOutcomeKind kind, PaymentLink? link = null, Exception? error = null) =>
            Of(state.Index, state.Row, state.Key, kind, link, error, state.Superseded);

        public static BulkOutcome Of(long index, BulkRow row, string? key, BulkOutcomeKind kind, PaymentLink? link = null, Exception? error = null, string[]? superseded = null)
        {
            if (link != null)
            {
                link.Reference = row.Reference;
                link.Amount = row.Request?.Amount;
                link.Currency = row.Options.Currency?.Trim().ToUpperInvariant();
                link.RemittanceInformation = row.Options.RemittanceInformation;
                if (superseded != null && superseded.Length > 0) link.SupersededLinkIds = superseded;
            }
            return new BulkOutcome(index, row, key, kind, link, error);
        }

        public static BulkOutcome NotSent(PendingRow state, string reason) => Of(state, BulkOutcomeKind.NotSent, error: NotSentError(state.Row, reason));

        public static BulkRowException NotSentError(BulkRow row, string reason) =>
            new BulkRowException(BulkRowProblem.NotSent, $"{PendingRow.DescribeRow(row)}: not sent, because the run stopped: {reason}");

        public static BulkOutcome Ambiguous(PendingRow state, IReadOnlyList<string> candidates) =>
            Of(state, BulkOutcomeKind.Ambiguous, error: new BulkRowException(BulkRowProblem.Ambiguous,
                $"{state.Describe}: a link may have been created for this row but cannot be told apart from {string.Join(", ", candidates)}. "
                + "Check those links (Get-FinqLink -LinkId …) before running again.", candidates: candidates));

        /// <summary>The link the journal holds for a row, answered without sending anything.</summary>
        public static PaymentLink FromJournal(JournalEntry entry) => new PaymentLink
        {
            LinkId = entry.LinkId!, WebUrl = entry.WebUrl, Status = entry.Status, ExpiresAt = entry.ExpiresAt, CreatedAt = entry.CreatedAt, FromJournal = true,
        };

        /// <summary>Why a row the journal already knows is not sent.</summary>
        public static BulkRowException JournalRefusal(string name, JournalEntry entry, IReadOnlyList<string> changes)
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
    }
}
