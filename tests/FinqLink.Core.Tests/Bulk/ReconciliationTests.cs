using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Bulk;
using FinqLink.Models;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace FinqLink.Core.Tests.Bulk;

/// <summary>Reconciliation against an in-memory list of links (no HTTP): which link is whose, and when rows are settled.</summary>
public sealed class ReconciliationTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly ExpiryLanes Lane0 = new(null, 0);

    /// <summary>The links a server holds, listed by creation time like links/list.</summary>
    private sealed class FakeLinkWindow : ILinkWindow
    {
        public List<PaymentLink> Links { get; } = new();
        public int Calls;

        public PaymentLink Add(string id, DateTimeOffset createdAt, long expiresIn)
        {
            var link = new PaymentLink { LinkId = id, CreatedAt = createdAt, ExpiresAt = createdAt.AddSeconds(expiresIn) };
            Links.Add(link);
            return link;
        }

        public IEnumerable<PaymentLink> CreatedBetween(DateTimeOffset createdFrom, DateTimeOffset? createdTo, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            return Links.Where(l => l.CreatedAt >= createdFrom && (createdTo == null || l.CreatedAt <= createdTo)).ToList();
        }
    }

    private static long Slot(int slot) => (long)Lane0.ForSlot(slot).TotalSeconds;

    private static JournalEntry Uncertain(string key, int slot) => new()
    {
        Key = key, State = JournalState.Unknown, ExpiresInSeconds = Slot(slot), BaseExpiresInSeconds = (long)Lane0.Base.TotalSeconds, Lane = 0,
        WindowFrom = T0, WindowTo = T0.AddSeconds(3),
    };

    private static Dictionary<string, Reconciled> Settle(FakeLinkWindow window, ISet<long> held, ISet<string> claimed, params JournalEntry[] rows) =>
        Reconciler.Settle(window, () => held, _ => claimed, rows, CancellationToken.None).ToDictionary(r => r.Entry.Key);

    [Fact]
    public void A_single_unclaimed_link_with_the_rows_expiry_is_its_link_none_means_not_created_and_two_are_ambiguous()
    {
        var window = new FakeLinkWindow();
        window.Add("link-a", T0.AddSeconds(1), Slot(0));
        window.Add("link-c1", T0.AddSeconds(1), Slot(2));
        window.Add("link-c2", T0.AddSeconds(2), Slot(2));
        window.Add("link-d", T0.AddSeconds(2), Slot(3));               // another row's answer already claimed it
        window.Add("link-late", T0.AddSeconds(60), Slot(1));           // outside the row's window

        var verdicts = Settle(window, new HashSet<long>(), new HashSet<string> { "link-d" },
            Uncertain("ref:A", 0), Uncertain("ref:B", 1), Uncertain("ref:C", 2), Uncertain("ref:D", 3));

        Assert.Equal((Verdict.Created, "link-a"), (verdicts["ref:A"].Verdict, verdicts["ref:A"].Link!.LinkId));
        Assert.Equal(Verdict.NotCreated, verdicts["ref:B"].Verdict);
        Assert.Equal(Verdict.Ambiguous, verdicts["ref:C"].Verdict);
        Assert.Equal(new[] { "link-c1", "link-c2" }, verdicts["ref:C"].Candidates.OrderBy(c => c));
        Assert.Equal(Verdict.NotCreated, verdicts["ref:D"].Verdict);
        Assert.Equal(1, window.Calls);                                 // overlapping windows: one listing
    }

    [Fact]
    public void A_link_of_another_run_in_this_runs_lane_makes_a_single_match_ambiguous_unless_this_run_holds_its_slot()
    {
        var window = new FakeLinkWindow();
        window.Add("link-a", T0.AddSeconds(1), Slot(0));
        window.Add("link-other", T0.AddSeconds(2), Slot(40));

        Assert.Equal(Verdict.Ambiguous, Settle(window, new HashSet<long>(), new HashSet<string>(), Uncertain("ref:A", 0))["ref:A"].Verdict);
        // Slot 40 is held by a row of this run still in flight: the link is this run's, not a stranger's.
        Assert.Equal(Verdict.Created, Settle(window, new HashSet<long> { Slot(40) }, new HashSet<string>(), Uncertain("ref:A", 0))["ref:A"].Verdict);
    }

    [Fact]
    public async Task A_row_is_settled_once_its_due_time_passes_and_the_verdict_is_journaled_first()
    {
        var time = new FakeTimeProvider(T0);
        var window = new FakeLinkWindow();
        window.Add("link-a", T0.AddSeconds(1), Slot(0));
        using var journal = LinkJournal.Over(FileJournalStore.Over("memory", new MemoryStream()));
        await journal.AppendAsync(Uncertain("ref:A", 0));
        DateTimeOffset? journaledAt = null;
        var reconciliation = new Reconciliation(window, journal, () => new HashSet<long>(), new ClaimedLinks(), time, e =>
        {
            journaledAt = time.GetUtcNow();
            return journal.AppendAsync(e);
        });

        var due = T0.AddSeconds(5);
        var settled = reconciliation.SettleAsync("ref:A", "A", due, CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!settled.IsCompleted && DateTime.UtcNow < deadline)
        {
            time.Advance(TimeSpan.FromMilliseconds(250));
            await Task.WhenAny(settled, Task.Delay(20));
        }
        var verdict = await settled.WaitAsync(TimeSpan.FromSeconds(1));
        Assert.Equal((Verdict.Created, "link-a"), (verdict.Verdict, verdict.Link!.LinkId));
        Assert.Equal((JournalState.Created, "link-a"), (journal.Find("ref:A")!.State, journal.Find("ref:A")!.LinkId));
        Assert.True(journaledAt >= due, $"settled at {journaledAt:HH:mm:ss.fff}, before the row was due at {due:HH:mm:ss.fff}");
    }

    [Fact]
    public async Task Rows_an_earlier_run_left_pending_are_settled_and_journaled_before_anything_is_sent()
    {
        var window = new FakeLinkWindow();
        window.Add("link-a", T0.AddSeconds(1), Slot(0));
        using var journal = LinkJournal.Over(FileJournalStore.Over("memory", new MemoryStream()));
        foreach (var (key, slot) in new[] { ("ref:A", 0), ("ref:B", 1) })
            await journal.AppendAsync(new JournalEntry { Key = key, State = JournalState.Pending, ExpiresInSeconds = Slot(slot), WindowFrom = T0 });

        var verdicts = Reconciliation.SettlePreviousRun(journal, window, TimeSpan.FromSeconds(30), others: null, CancellationToken.None);

        Assert.Equal(new[] { Verdict.Created, Verdict.NotCreated }, verdicts.OrderBy(v => v.Entry.Key).Select(v => v.Verdict));
        Assert.Equal(JournalState.Created, journal.Find("ref:A")!.State);
        Assert.Equal(JournalState.NotCreated, journal.Find("ref:B")!.State);
    }

    /// <summary>Other runs' journals, as a store beside this one would read them.</summary>
    private sealed class FakeOtherJournals : IOtherJournals
    {
        public List<IReadOnlyList<JournalEntry>> Journals { get; } = new();
        public IEnumerable<IReadOnlyList<JournalEntry>> Read(CancellationToken cancellationToken) => Journals;
    }

    [Fact]
    public async Task A_row_left_ambiguous_is_settled_once_the_other_runs_journals_say_whose_the_other_links_are()
    {
        // Row A of this journal and row X of another run shared a lane: both links have A's slot in A's window.
        var window = new FakeLinkWindow();
        window.Add("link-a", T0.AddSeconds(1), Slot(4));
        window.Add("link-x", T0.AddSeconds(2), Slot(4));
        window.Add("link-y", T0.AddSeconds(2), Slot(9));                // B's only candidate...
        window.Add("link-z", T0.AddSeconds(2), Slot(11));               // ...and another run's link in the lane: B could not be told
        using var journal = LinkJournal.Over(FileJournalStore.Over("memory", new MemoryStream()));
        var a = Uncertain("ref:A", 4);
        a.State = JournalState.Ambiguous;
        a.Candidates = new[] { "link-a", "link-x" };
        var b = Uncertain("ref:B", 9);
        b.State = JournalState.Ambiguous;
        b.Candidates = new[] { "link-y" };
        await journal.AppendAsync(a);
        await journal.AppendAsync(b);
        var others = new FakeOtherJournals();

        // Nothing new is known: the rows stay ambiguous, and the journal is not written again.
        Assert.Empty(Reconciliation.SettlePreviousRun(journal, window, TimeSpan.FromSeconds(30), others, CancellationToken.None));

        // A copy of this journal (the same rows) claims nothing away from them.
        others.Journals.Add(new[] { new JournalEntry { Key = "ref:B", State = JournalState.Created, LinkId = "link-y" } });
        Assert.Empty(Reconciliation.SettlePreviousRun(journal, window, TimeSpan.FromSeconds(30), others, CancellationToken.None));

        // Another run's journal says whose link-x, link-y and link-z are: A's link is link-a, and B made none.
        others.Journals.Add(new[]
        {
            new JournalEntry { Key = "ref:X", State = JournalState.Pending },
            new JournalEntry { Key = "ref:X", State = JournalState.Created, LinkId = "link-x" },
            new JournalEntry { Key = "ref:Y", State = JournalState.Created, LinkId = "link-y" },
            new JournalEntry { Key = "ref:Z", State = JournalState.Created, LinkId = "link-z" },
        });
        var verdicts = Reconciliation.SettlePreviousRun(journal, window, TimeSpan.FromSeconds(30), others, CancellationToken.None).ToDictionary(v => v.Entry.Key);
        Assert.Equal((Verdict.Created, "link-a"), (verdicts["ref:A"].Verdict, verdicts["ref:A"].Link!.LinkId));
        Assert.Equal(Verdict.NotCreated, verdicts["ref:B"].Verdict);
        Assert.Equal((JournalState.Created, "link-a"), (journal.Find("ref:A")!.State, journal.Find("ref:A")!.LinkId));
    }
}
