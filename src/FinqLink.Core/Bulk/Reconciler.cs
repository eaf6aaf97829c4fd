using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using FinqLink.Models;

namespace FinqLink.Bulk
{
    public enum Verdict { Created, NotCreated, Ambiguous }

    /// <summary>What reconciliation decided for one row whose create had an unknown outcome.</summary>
    public sealed class Reconciled
    {
        public Reconciled(JournalEntry entry, Verdict verdict, PaymentLink? link, string[] candidates)
        {
            Entry = entry;
            Verdict = verdict;
            Link = link;
            Candidates = candidates;
        }

        public JournalEntry Entry { get; }
        public Verdict Verdict { get; }
        public PaymentLink? Link { get; }
        public string[] Candidates { get; }
    }

    /// <summary>
    /// Settles rows whose create had an unknown outcome, with documented API only: links/list filtered by creation time
    /// around each row's sending window (by the server's clock), then each unclaimed link's expiry compared with the
    /// expires_in the row was sent with. One match is the row's link; none means it was not created; several, or a link
    /// of another run in this run's lane, means it cannot be told — and then the row is reported, never guessed.
    /// </summary>
    internal static class Reconciler
    {
        /// <summary>Timestamps are whole seconds: allow one either side, plus a little for the two roundings.</summary>
        private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(1.5);

        /// <param name="held">The expires_in (seconds) of rows still in flight: links with them are this run's, not another run's.</param>
        /// <param name="claimed">Of the links listed, those known to be rows': never a candidate.</param>
        /// <remarks>
        /// Both are read after the links are listed, held first: a row of this run that got its answer meanwhile claimed
        /// its link before it let go of its slot, so every link listed is either held, claimed, or not this run's.
        /// </remarks>
        public static IReadOnlyList<Reconciled> Settle(ILinkWindow links, Func<ISet<long>> held, Func<IReadOnlyList<string>, ISet<string>> claimed, IReadOnlyList<JournalEntry> uncertain,
            CancellationToken cancellationToken)
        {
            var rows = uncertain.Where(e => e.WindowFrom != null && e.WindowTo != null && e.ExpiresInSeconds != null).ToList();
            var results = uncertain.Except(rows).Select(e => new Reconciled(e, Verdict.Ambiguous, null, Array.Empty<string>())).ToList();
            if (rows.Count == 0) return results;

            var listed = ListAround(links, rows, cancellationToken).ToList();
            var heldNow = held();
            var claimedNow = claimed(listed.Select(l => l.LinkId).ToList());
            var seen = listed.Where(l => !claimedNow.Contains(l.LinkId)).ToList();
            var candidates = rows.ToDictionary(r => r, r => seen.Where(l => Matches(l, r)).ToList());
            var foreignInLane = ForeignLinksInOwnLanes(seen, rows, candidates, heldNow);

            bool progress;
            do
            {
                progress = false;
                foreach (var row in rows.ToList())
                {
                    var mine = candidates[row];
                    if (mine.Count != 1 || foreignInLane.Contains(row)) continue;
                    var link = mine[0];
                    if (rows.Any(other => other != row && candidates[other].Any(l => l.LinkId == link.LinkId))) continue;
                    results.Add(new Reconciled(row, Verdict.Created, link, new[] { link.LinkId }));
                    rows.Remove(row);
                    foreach (var other in rows) candidates[other].RemoveAll(l => l.LinkId == link.LinkId);
                    progress = true;
                }
            } while (progress);

            foreach (var row in rows)
            {
                var ids = candidates[row].Select(l => l.LinkId).ToArray();
                results.Add(new Reconciled(row, ids.Length == 0 ? Verdict.NotCreated : Verdict.Ambiguous, null, ids));
            }
            return results;
        }

        /// <summary>One links/list per group of overlapping windows, each widened by the tolerance.</summary>
        private static IEnumerable<PaymentLink> ListAround(ILinkWindow links, List<JournalEntry> rows, CancellationToken cancellationToken)
        {
            var windows = rows.Select(r => (From: r.WindowFrom!.Value - Tolerance, To: r.WindowTo!.Value + Tolerance)).OrderBy(w => w.From).ToList();
            var merged = new List<(DateTimeOffset From, DateTimeOffset To)>();
            foreach (var w in windows)
            {
                if (merged.Count > 0 && w.From <= merged[merged.Count - 1].To) merged[merged.Count - 1] = (merged[merged.Count - 1].From, Max(merged[merged.Count - 1].To, w.To));
                else merged.Add(w);
            }
            var found = new Dictionary<string, PaymentLink>(StringComparer.Ordinal);
            foreach (var (from, to) in merged)
            {
                // The filter takes whole seconds: round outwards.
                foreach (var link in links.CreatedBetween(Floor(from), Floor(to).AddSeconds(1), cancellationToken))
                    found[link.LinkId] = link;
            }
            return found.Values;
        }

        /// <summary>
        /// The link's expiry is the row's: exactly, when the list says when the link was created; otherwise its expiry minus
        /// the row's expires_in falls in the row's sending window.
        /// </summary>
        private static bool Matches(PaymentLink link, JournalEntry row)
        {
            if (link.ExpiresAt is not DateTimeOffset expiresAt) return false;
            var expiresIn = TimeSpan.FromSeconds(row.ExpiresInSeconds!.Value);
            if (link.CreatedAt is DateTimeOffset createdAt)
                return createdAt >= row.WindowFrom!.Value - Tolerance && createdAt <= row.WindowTo!.Value + Tolerance
                       && (expiresAt - createdAt - expiresIn).Duration() <= Tolerance;
            var implied = expiresAt - expiresIn;
            return implied >= row.WindowFrom!.Value - Tolerance && implied <= row.WindowTo!.Value + Tolerance;
        }

        /// <summary>
        /// Rows whose window holds a link that no row of theirs claims yet whose expiry lies in their run's lane: another run
        /// uses the lane, so a single match may be that run's link.
        /// </summary>
        private static HashSet<JournalEntry> ForeignLinksInOwnLanes(List<PaymentLink> seen, List<JournalEntry> rows, Dictionary<JournalEntry, List<PaymentLink>> candidates, ISet<long> held)
        {
            bool Held(PaymentLink l) => held.Any(e => Math.Abs((l.ExpiresAt!.Value - l.CreatedAt!.Value).TotalSeconds - e) <= Tolerance.TotalSeconds);
            var explained = new HashSet<string>(candidates.Values.SelectMany(c => c).Select(l => l.LinkId), StringComparer.Ordinal);
            var affected = new HashSet<JournalEntry>();
            foreach (var row in rows.Where(r => r.Lane != null && r.BaseExpiresInSeconds != null))
            {
                var lane = new ExpiryLanes(TimeSpan.FromSeconds(row.BaseExpiresInSeconds!.Value), row.Lane!.Value);
                var foreign = seen.Any(l => !explained.Contains(l.LinkId) && l.ExpiresAt != null && l.CreatedAt != null && !Held(l)
                                            && l.CreatedAt >= row.WindowFrom - Tolerance && l.CreatedAt <= row.WindowTo + Tolerance
                                            && lane.Covers(l.ExpiresAt.Value - l.CreatedAt.Value));
                if (foreign) affected.Add(row);
            }
            return affected;
        }

        private static DateTimeOffset Floor(DateTimeOffset t) => new DateTimeOffset(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, t.Offset);

        private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
    }
}
