using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using FinqLink.Http;
using FinqLink.Models;
using FinqLink.Paging;

namespace FinqLink.Bulk
{
    public enum ReconcileOutcome { Created, NotCreated, Ambiguous }

    public sealed class ReconcileResult
    {
        public ReconcileResult(string key, ReconcileOutcome outcome, PaymentLink? link, string[] candidates)
        {
            Key = key;
            Outcome = outcome;
            Link = link;
            Candidates = candidates;
        }

        public string Key { get; }
        public ReconcileOutcome Outcome { get; }
        public PaymentLink? Link { get; }
        public string[] Candidates { get; }
    }

    /// <summary>
    /// Decides what became of rows whose create had an unknown outcome, using only documented API: links/list filtered
    /// by creation time around the row's sending window. A link claimed by no journal row is this row's when its
    /// expires_at minus the row's expires_in falls in that window: each journaled row is sent with its own expires_in
    /// (see <see cref="ExpiryOffsets"/>), so concurrent rows' links are told apart.
    /// </summary>
    public static class JournalReconciler
    {
        public static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(1.5);

        public static IReadOnlyList<ReconcileResult> Reconcile(FinqLinkClient client, LinkJournal journal, RequestOptions options, CancellationToken cancellationToken)
        {
            var uncertain = journal.Entries.Where(e => (e.State == JournalState.Unknown || e.State == JournalState.Pending) && e.SentFrom != null).ToList();
            if (uncertain.Count == 0) return new ReconcileResult[0];
            var claimed = journal.ClaimedLinkIds;
            var candidates = uncertain.ToDictionary(e => e.Key, e => Candidates(client, e, claimed, options, cancellationToken));

            var results = new List<ReconcileResult>();
            bool progress;
            do
            {
                progress = false;
                foreach (var entry in uncertain.ToList())
                {
                    var mine = candidates[entry.Key];
                    if (mine.Count != 1) continue;
                    var link = mine[0];
                    if (uncertain.Any(other => other != entry && candidates[other.Key].Any(l => l.LinkId == link.LinkId))) continue;
                    journal.Created(entry.Key, link);
                    results.Add(new ReconcileResult(entry.Key, ReconcileOutcome.Created, link, new[] { link.LinkId }));
                    uncertain.Remove(entry);
                    foreach (var other in uncertain) candidates[other.Key].RemoveAll(l => l.LinkId == link.LinkId);
                    progress = true;
                }
            } while (progress);

            foreach (var entry in uncertain)
            {
                var ids = candidates[entry.Key].Select(l => l.LinkId).ToArray();
                if (ids.Length == 0)
                {
                    journal.NotCreated(entry.Key, "Reconciled: the server holds no link for this row.");
                    results.Add(new ReconcileResult(entry.Key, ReconcileOutcome.NotCreated, null, ids));
                }
                else
                {
                    journal.Ambiguous(entry, ids);
                    results.Add(new ReconcileResult(entry.Key, ReconcileOutcome.Ambiguous, null, ids));
                }
            }
            return results;
        }

        private static List<PaymentLink> Candidates(FinqLinkClient client, JournalEntry entry, ISet<string> claimed, RequestOptions options, CancellationToken cancellationToken)
        {
            var from = entry.SentFrom!.Value - Tolerance;
            var until = (entry.SentUntil ?? entry.SentFrom.Value + client.Options.Timeout) + Tolerance;
            var request = Requests.ListLinks(null, from.AddSeconds(-1), until.AddSeconds(1));
            return client.Page<PaymentLink>(request, "links", KeysetPager.MaxPageSize, options, null, cancellationToken)
                .Where(l => !claimed.Contains(l.LinkId))
                .Where(l => entry.ExpiresInSeconds == null || l.ExpiresAt == null || Within(l.ExpiresAt.Value.AddSeconds(-entry.ExpiresInSeconds.Value), from, until))
                .ToList();
        }

        private static bool Within(DateTimeOffset value, DateTimeOffset from, DateTimeOffset until) => value >= from && value <= until;
    }

    /// <summary>
    /// The per-row expires_in of a journaled run: the base expiry shifted by 10 s steps, 64 distinct values (at most
    /// 630 s). Rows in flight together get distinct slots; the step outlasts the 1 s resolution of API timestamps plus
    /// the reconciliation tolerance.
    /// </summary>
    public static class ExpiryOffsets
    {
        public static readonly TimeSpan DefaultLinkExpiry = TimeSpan.FromDays(7);
        private const int Slots = 64;
        private static readonly TimeSpan Step = TimeSpan.FromSeconds(10);

        public static TimeSpan For(long ordinal, TimeSpan? requested)
        {
            var baseExpiry = requested ?? DefaultLinkExpiry;
            var offset = TimeSpan.FromTicks(Step.Ticks * (ordinal % Slots));
            return baseExpiry + offset <= Validation.Rules.MaxLinkExpiry ? baseExpiry + offset : baseExpiry - offset;
        }
    }
}
