using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Bulk;
using FinqLink.Core.Tests.Fakes;
using FinqLink.Options;
using Xunit;
using static FinqLink.Core.Tests.Bulk.BulkTestRuns;

namespace FinqLink.Core.Tests.Bulk;

/// <summary>The bulk engine path by path, against an in-memory API with faults and a clock of its own.</summary>
public sealed class BulkLinkRunTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("finqlink-bulk-").FullName;

    private string Journal(string name = "run") => Path.Combine(_folder, name + ".journal");

    private static BulkRunOptions Options(string? journal, int seed = 1, int throttle = 8) => new()
    {
        JournalPath = journal, ThrottleLimit = throttle, Random = new Random(seed),
        SettleDelay = TimeSpan.FromMilliseconds(20), DroppedGrace = TimeSpan.FromMilliseconds(50),
    };

    [Fact]
    public async Task Every_row_gets_one_outcome_in_input_order_and_links_carry_their_row()
    {
        var api = new FakeFinqLinkApi { Latency = TimeSpan.FromMilliseconds(2) };
        var outcomes = await RunAsync(api, Options(null), Rows("A", 60));
        Assert.Equal(Enumerable.Range(0, 60).Select(i => (long)i), outcomes.Select(o => o.Index));
        Assert.All(outcomes, o => Assert.Equal(BulkOutcomeKind.Created, o.Kind));
        Assert.Equal("A-7", outcomes[6].Link!.Reference);
        Assert.Equal(17.07m, outcomes[6].Link!.Amount);
        AssertExactlyOnce(api, outcomes);
    }

    [Theory]
    [InlineData(Fault.FailBefore)]
    [InlineData(Fault.FailAfter)]
    [InlineData(Fault.DropAfter)]
    [InlineData(Fault.DropBefore)]
    public async Task Unknown_outcomes_are_settled_by_listing_and_absent_links_are_sent_again(Fault fault)
    {
        var api = new FakeFinqLinkApi { CreateFault = r => r.NextDouble() < 0.25 ? fault : Fault.None };
        BulkRunSummary? summary = null;
        var outcomes = await RunAsync(api, Options(Journal()), Rows("U", 80), run => summary = run.Summary);
        AssertCreatedOrCertainlyNot(outcomes);
        Assert.Equal(outcomes.Count(o => o.Succeeded), api.Links.Count);
        Assert.True(summary!.Reconciled > 0 || fault == Fault.FailBefore || fault == Fault.DropBefore);
        Assert.True(api.ListCalls > 1, "unknown outcomes were settled with links/list");
        AssertExactlyOnce(api, outcomes);
    }

    [Fact]
    public async Task Without_a_journal_an_unknown_outcome_is_reported_not_guessed()
    {
        var api = new FakeFinqLinkApi { CreateFault = r => Fault.FailAfter };
        var outcome = Assert.Single(await RunAsync(api, Options(null), Rows("N", 1)));
        Assert.Equal(BulkOutcomeKind.Failed, outcome.Kind);
        Assert.IsType<FinqLinkOutcomeUnknownException>(outcome.Error);
        Assert.Equal(1, api.CreateCalls);
    }

    [Theory]
    [InlineData(-300)]
    [InlineData(-4)]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(300)]
    public async Task The_servers_clock_is_learned_so_skew_never_duplicates_or_mismatches(int skewSeconds)
    {
        var api = new FakeFinqLinkApi { ServerOffset = TimeSpan.FromSeconds(skewSeconds), CreateFault = r => r.NextDouble() < 0.3 ? Fault.FailAfter : r.NextDouble() < 0.1 ? Fault.DropAfter : Fault.None };
        api.Seed(skewSeconds + 1000);
        var outcomes = await RunAsync(api, Options(Journal()), Rows("S", 60));
        if (outcomes.Any(o => o.Kind == BulkOutcomeKind.Ambiguous))
        {
            var amb = outcomes.First(o => o.Kind == BulkOutcomeKind.Ambiguous);
            var lines = File.ReadAllLines(Journal()).Where(l => l.Contains("\"" + amb.Key + "\""));
            var links = api.Links.Select(l => $"{l.Remittance} c={l.CreatedAt:HH:mm:ss} e={(l.ExpiresAt - l.CreatedAt).TotalSeconds}");
            throw new Xunit.Sdk.XunitException(string.Join("\n", lines) + "\n" + string.Join("\n", links));
        }
        AssertCreatedOrCertainlyNot(outcomes);
        Assert.Equal(outcomes.Count(o => o.Succeeded), api.Links.Count);
        AssertExactlyOnce(api, outcomes);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public async Task Concurrent_runs_with_their_own_journals_never_claim_each_others_links(int runs)
    {
        var api = new FakeFinqLinkApi
        {
            Latency = TimeSpan.FromMilliseconds(3),
            CreateFault = r => r.NextDouble() switch { < 0.20 => Fault.FailBefore, < 0.30 => Fault.FailAfter, < 0.35 => Fault.DropAfter, _ => Fault.None },
        };
        var work = Enumerable.Range(0, runs).Select(n => Task.Run(() => RunAsync(api, Options(Journal("worker" + n), seed: 100 + n), Rows("W" + n, 100)))).ToList();
        var outcomes = (await Task.WhenAll(work)).SelectMany(o => o).ToList();
        Assert.Equal(runs * 100, outcomes.Count);                                     // every row accounted for
        AssertExactlyOnce(api, outcomes);
        // A row that did not get a link is reported: certainly not created (its sends all failed before the server acted), or ambiguous.
        Assert.All(outcomes.Where(o => !o.Succeeded), o => Assert.Contains(((BulkRowException)o.Error!).Problem, new[] { BulkRowProblem.NotCreated, BulkRowProblem.Ambiguous }));
        Assert.True(outcomes.Count(o => o.Kind == BulkOutcomeKind.Ambiguous) <= runs, $"{outcomes.Count(o => o.Kind == BulkOutcomeKind.Ambiguous)} rows ended ambiguous");
        Assert.Equal(outcomes.Count(o => o.Succeeded), api.Links.Count - outcomes.Count(o => o.Kind == BulkOutcomeKind.Ambiguous && ((BulkRowException)o.Error!).Candidates.Count > 0));
    }

    [Fact]
    public async Task Runs_alive_together_on_one_machine_take_different_lanes_even_when_chance_would_pick_one()
    {
        var api = new FakeFinqLinkApi();
        var lanes = Path.Combine(_folder, "lanes");
        // All three open (and look back at recent links) before any sends: none can see another's links, as when runs start together.
        var runs = new[] { "LA", "LB", "LC" }.Select(prefix =>
        {
            var options = Options(Journal(prefix), seed: 5);       // one seed: chance alone would give every run the same lane
            options.LaneFolder = lanes;
            var run = new BulkLinkRun(TestClients.For(api), options, _ => { });
            run.Open(CancellationToken.None);
            return (prefix, run);
        }).ToList();
        foreach (var (prefix, run) in runs)
        {
            await run.AddAsync(Rows(prefix, 1)[0], CancellationToken.None);
            await run.CompleteAsync();
        }
        int LaneOf(string prefix)
        {
            var link = api.Links.Single(l => l.Remittance == prefix + "-1");
            return ExpiryLanes.LaneOf(ExpiryLanes.DefaultLinkExpiry, link.ExpiresAt - link.CreatedAt)!.Value;
        }

        Assert.Equal(3, new[] { LaneOf("LA"), LaneOf("LB"), LaneOf("LC") }.Distinct().Count());
        foreach (var (_, run) in runs) run.Dispose();
    }

    [Fact]
    public void A_lane_is_held_until_its_run_ends_and_only_for_its_client()
    {
        var folder = Path.Combine(_folder, "lanes");
        var week = ExpiryLanes.DefaultLinkExpiry;
        var holder = new LaneReservations("https://api.example client-a", folder);
        using var other = new LaneReservations("https://api.example client-a", folder);
        using var otherClient = new LaneReservations("https://api.example client-b", folder);

        Assert.Equal(LaneClaim.Held, holder.TryReserve(week, 3));
        Assert.Equal(LaneClaim.HeldByAnother, other.TryReserve(week, 3));
        Assert.Equal(LaneClaim.Held, other.TryReserve(week, 4));
        Assert.Equal(LaneClaim.Held, other.TryReserve(TimeSpan.FromDays(2), 3));       // another base expiry: other lanes
        Assert.Equal(LaneClaim.Held, otherClient.TryReserve(week, 3));
        holder.Dispose();
        Assert.Equal(LaneClaim.Held, other.TryReserve(week, 3));
        Assert.Equal(LaneClaim.Unavailable, holder.TryReserve(week, 5));               // a run that has ended holds nothing new
        Assert.Equal(LaneClaim.Held, otherClient.TryReserve(week, 5));
    }

    [Fact]
    public void A_run_holds_at_most_a_bounded_number_of_lanes()
    {
        using var reservations = new LaneReservations("https://api.example many", Path.Combine(_folder, "many"));
        for (var i = 0; i < LaneReservations.MaxHeld; i++) Assert.Equal(LaneClaim.Held, reservations.TryReserve(TimeSpan.FromDays(7).Add(TimeSpan.FromSeconds(i)), 0));
        Assert.Equal(LaneClaim.Unavailable, reservations.TryReserve(TimeSpan.FromDays(6), 0));
        Assert.Equal(LaneReservations.MaxHeld, Directory.GetFiles(Path.Combine(_folder, "many")).Length);
    }

    [Fact]
    public async Task Rows_are_taken_from_the_input_only_a_little_ahead_of_the_sends()
    {
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var api = new FakeFinqLinkApi { CreatesMayProceed = answer.Task };
        using var opened = new OpenedRun(api, Options(null, throttle: 4));
        var (run, outcomes) = (opened.Run, opened.Outcomes);
        var rows = Rows("W", 40);

        // Twice the throttle is taken while every create waits for its answer; the next row waits for a send to finish.
        for (var i = 0; i < 8; i++) await run.AddAsync(rows[i], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        var ninth = run.AddAsync(rows[8], CancellationToken.None);
        await Task.Delay(200);
        Assert.False(ninth.IsCompleted, "a ninth row was taken while eight were waiting to be sent");

        answer.SetResult();
        await ninth;
        foreach (var row in rows.Skip(9)) await run.AddAsync(row, CancellationToken.None);
        await run.CompleteAsync();
        Assert.Equal(40, outcomes.Count(o => o.Kind == BulkOutcomeKind.Created));
        Assert.Equal(4, run.Summary.PeakInFlight);
        AssertExactlyOnce(api, outcomes);
    }

    [Fact]
    public async Task A_summary_read_before_the_run_completes_has_its_peak_in_flight_and_rows()
    {
        var answer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var api = new FakeFinqLinkApi { CreatesMayProceed = answer.Task };
        using var opened = new OpenedRun(api, Options(null, throttle: 4));
        var run = opened.Run;
        var rows = Rows("S", 8);
        foreach (var row in rows) await run.AddAsync(row, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(SpinWait.SpinUntil(() => run.InFlight == 4, TimeSpan.FromSeconds(10)), "four creates in flight");

        // What a run cut short (-SummaryVariable from Dispose) reads: CompleteAsync has not run.
        var (peak, taken) = run.ReadSummary(s => (s.PeakInFlight, s.Rows));
        Assert.Equal(4, peak);
        Assert.Equal(8, taken);

        answer.SetResult();
        await run.CompleteAsync();
    }

    [Fact]
    public async Task Rows_waiting_to_be_settled_do_not_hold_back_the_rows_behind_them()
    {
        // The first four creates drop their connection: each row waits 3 s for its window to close before it is settled.
        var dropped = 0;
        var api = new FakeFinqLinkApi { CreateFault = _ => Interlocked.Increment(ref dropped) <= 4 ? Fault.DropAfter : Fault.None };
        var options = Options(Journal(), throttle: 2);
        options.DroppedGrace = TimeSpan.FromSeconds(3);
        using var opened = new OpenedRun(api, options);
        var (run, outcomes) = (opened.Run, opened.Outcomes);

        var taking = System.Diagnostics.Stopwatch.StartNew();
        foreach (var row in Rows("S", 30)) await run.AddAsync(row, CancellationToken.None);
        Assert.True(taking.Elapsed < TimeSpan.FromSeconds(2), $"taking 30 rows took {taking.Elapsed.TotalSeconds:0.0} s behind four rows being settled");

        await run.CompleteAsync();
        await run.CompleteAsync();
        Assert.Equal(30, outcomes.Count(o => o.Kind == BulkOutcomeKind.Created));
        AssertExactlyOnce(api, outcomes);
    }

    [Fact]
    public async Task A_rerun_answers_from_the_journal_and_creates_only_what_is_missing()
    {
        var api = new FakeFinqLinkApi();
        var first = await RunAsync(api, Options(Journal()), Rows("R", 10));
        var second = await RunAsync(api, Options(Journal()), Rows("R", 15));
        Assert.Equal(10, second.Count(o => o.Kind == BulkOutcomeKind.FromJournal));
        Assert.Equal(5, second.Count(o => o.Kind == BulkOutcomeKind.Created));
        Assert.Equal(first.Select(o => o.Link!.LinkId), second.Take(10).Select(o => o.Link!.LinkId));
        Assert.All(second.Take(10), o => Assert.True(o.Link!.FromJournal));
        Assert.Equal(15, api.Links.Count);
    }

    [Fact]
    public async Task A_row_changed_since_its_link_was_made_is_refused_naming_the_change_and_can_be_superseded()
    {
        var api = new FakeFinqLinkApi();
        var row = new BulkRow(new LinkCreateOptions { Amount = 1250m, Currency = "RON", RemittanceInformation = "Q-2" }, "Q-2", null);
        var first = Assert.Single(await RunAsync(api, Options(Journal()), new[] { row }));
        var fixedRow = new BulkRow(new LinkCreateOptions { Amount = 12.50m, Currency = "RON", RemittanceInformation = "Q-2" }, " q-2 ", null);

        var refused = Assert.Single(await RunAsync(api, Options(Journal()), new[] { fixedRow }));
        var problem = Assert.IsType<BulkRowException>(refused.Error);
        Assert.Equal(BulkRowProblem.Changed, problem.Problem);
        Assert.Equal(new[] { "amount 1250.00 → 12.50" }, problem.Changes);
        Assert.Contains("-Supersede", problem.Message);
        Assert.Single(api.Links);

        var options = Options(Journal());
        options.Supersede = true;
        var superseding = Assert.Single(await RunAsync(api, options, new[] { fixedRow }));
        Assert.Equal(BulkOutcomeKind.Created, superseding.Kind);
        Assert.Equal(new[] { first.Link!.LinkId }, superseding.Link!.SupersededLinkIds);
        Assert.Equal(2, api.Links.Count);
        Assert.Equal(BulkOutcomeKind.FromJournal, Assert.Single(await RunAsync(api, Options(Journal()), new[] { fixedRow })).Kind);
    }

    [Fact]
    public async Task Supersede_makes_no_second_link_for_an_ambiguous_row_the_other_journals_settle_and_names_its_link()
    {
        var api = new FakeFinqLinkApi();
        var row = Rows("AMB", 1).Single();
        var first = Assert.Single(await RunAsync(api, Options(Journal("first")), new[] { row }));
        JournalEntry made;
        using (var read = LinkJournal.Over(FileJournalStore.Open(Journal("first")))) made = read.Find(first.Key!)!;

        // Another run's link with the same expiry, made while the row was in flight: the row could not be told.
        using (var client = TestClients.For(api))
        {
            var other = await client.Links.CreateAsync(new LinkCreateOptions
            {
                Amount = 99m, Currency = "RON", RemittanceInformation = "X-1", ExpiresIn = TimeSpan.FromSeconds(made.ExpiresInSeconds!.Value),
            });
            using (var retry = LinkJournal.Over(FileJournalStore.Open(Journal("retry"))))
            {
                var ambiguous = made.Copy();
                ambiguous.State = JournalState.Ambiguous;
                ambiguous.LinkId = null;
                ambiguous.Candidates = new[] { made.LinkId!, other.LinkId! };
                await retry.AppendAsync(ambiguous);
            }
            // That run's journal, beside this one, says whose the other link is.
            using var others = LinkJournal.Over(FileJournalStore.Open(Journal("other")));
            await others.AppendAsync(new JournalEntry { Key = "ref:X-1", State = JournalState.Created, LinkId = other.LinkId });
        }

        var log = new WarningRecorder();
        var options = Options(Journal("retry"));
        options.Supersede = true;
        options.Log = log;
        var again = Assert.Single(await RunAsync(api, options, new[] { row }));

        Assert.Equal((BulkOutcomeKind.FromJournal, made.LinkId), (again.Kind, again.Link!.LinkId));
        Assert.Equal(2, api.Links.Count);
        Assert.Contains(log.Warnings, w => w.Contains(made.LinkId!, StringComparison.Ordinal) && w.Contains("-Supersede makes no second link", StringComparison.Ordinal));
    }

    private sealed class WarningRecorder : FinqLink.Http.IRequestLog
    {
        public ConcurrentQueue<string> Warnings { get; } = new();
        public bool VerboseEnabled => false;
        public bool DebugEnabled => false;
        public void Verbose(string line) { }
        public void Warning(string line) => Warnings.Enqueue(line);
        public void Debug(string line) { }
    }

    [Fact]
    public async Task References_are_trimmed_and_caseless_so_a_repeat_in_one_run_is_refused()
    {
        var api = new FakeFinqLinkApi();
        var rows = new[] { " Q-2 ", "q-2", "Q-2" }.Select((r, i) => new BulkRow(new LinkCreateOptions { Amount = 1 + i, Currency = "RON" }, r, null));
        var outcomes = await RunAsync(api, Options(Journal()), rows);
        Assert.Equal(BulkOutcomeKind.Created, outcomes[0].Kind);
        Assert.All(outcomes.Skip(1), o => Assert.Equal(BulkRowProblem.Duplicate, Assert.IsType<BulkRowException>(o.Error).Problem));
        Assert.Single(api.Links);
    }

    [Fact]
    public async Task A_full_disk_stops_the_run_and_every_row_is_still_output_or_reported()
    {
        var api = new FakeFinqLinkApi { Latency = TimeSpan.FromMilliseconds(2) };
        var options = Options(Journal());
        options.OpenJournalStore = path => FileJournalStore.Over(path, new FillingStream(limit: 4000));
        string? stop = null;
        var rows = Rows("D", 200);
        var outcomes = await RunAsync(api, options, rows, run => stop = run.StopReason);
        Assert.NotNull(stop);
        Assert.Contains("could not be written", stop);
        // The rows taken (all of them, or up to the one refused once the run had stopped) each have one outcome, in order.
        Assert.Equal(outcomes.Select((_, i) => (long)i), outcomes.Select(o => o.Index));
        Assert.Equal(rows.Take(outcomes.Count), outcomes.Select(o => o.Row));
        Assert.Contains(outcomes, o => o.Kind == BulkOutcomeKind.NotSent);
        Assert.DoesNotContain(outcomes, o => o.Kind == BulkOutcomeKind.Failed);
        Assert.All(outcomes.Where(o => o.Kind == BulkOutcomeKind.NotSent), o => Assert.Equal(BulkRowProblem.NotSent, ((BulkRowException)o.Error!).Problem));
        // Every link the server made was written as an output: none exists without one.
        Assert.Equal(api.Links.Select(l => l.LinkId).OrderBy(i => i), outcomes.Where(o => o.Link != null).Select(o => o.Link!.LinkId).OrderBy(i => i));
    }

    [Fact]
    public async Task An_unreachable_api_stops_the_run_after_consecutive_failures()
    {
        var api = new FakeFinqLinkApi { CreateFault = _ => Fault.Refused };
        var options = Options(null, throttle: 1);
        options.MaxConsecutiveTransportFailures = 3;
        string? stop = null;
        var outcomes = await RunAsync(api, options, Rows("X", 50), run => stop = run.StopReason);
        Assert.Contains("could not reach the API", stop);
        Assert.Equal(3, outcomes.Count(o => o.Kind == BulkOutcomeKind.Failed));
        Assert.All(outcomes.Where(o => o.Kind != BulkOutcomeKind.Failed), o => Assert.Equal(BulkOutcomeKind.NotSent, o.Kind));
        Assert.Equal(3, api.CreateCalls / 5);     // three rows, each tried five times (refused connections are retried); none after the stop
    }

    [Fact]
    public async Task A_second_run_on_a_journal_in_use_is_refused_at_once()
    {
        using var client = TestClients.For(new FakeFinqLinkApi());
        using var first = new BulkLinkRun(client, Options(Journal()), _ => { });
        first.Open(CancellationToken.None);
        using var second = new BulkLinkRun(client, Options(Journal()), _ => { });
        Assert.Throws<JournalInUseException>(() => second.Open(CancellationToken.None));
        await first.CompleteAsync();
    }

    [Fact]
    public async Task A_killed_run_leaves_pending_rows_that_the_next_run_settles()
    {
        var api = new FakeFinqLinkApi();
        await RunAsync(api, Options(Journal()), Rows("K", 3));
        // A run killed after sending K-4 (the server made it) and K-5 (it did not): their lines say pending.
        var lanes = new ExpiryLanes(null, 0);
        using (var client = TestClients.For(api))
        {
            var sent = await client.Links.CreateAsync(new LinkCreateOptions { Amount = 14.04m, Currency = "RON", RemittanceInformation = "K-4", ExpiresIn = lanes.ForSlot(7) });
            Assert.NotNull(sent.LinkId);
        }
        var now = api.ServerNow;
        foreach (var (key, slot) in new[] { ("ref:K-4", 7), ("ref:K-5", 8) })
            File.AppendAllText(Journal(), $$"""{"key":"{{key}}","state":"pending","at":"{{now:O}}","expires_in":{{(long)lanes.ForSlot(slot).TotalSeconds}},"base_expires_in":604800,"lane":0,"window_from":"{{now.AddSeconds(-5):O}}"}""" + "\n");
        var outcomes = await RunAsync(api, Options(Journal()), Rows("K", 5));
        Assert.Equal(new[] { BulkOutcomeKind.FromJournal, BulkOutcomeKind.FromJournal, BulkOutcomeKind.FromJournal, BulkOutcomeKind.FromJournal, BulkOutcomeKind.Created },
            outcomes.Select(o => o.Kind));
        Assert.Equal(5, api.Links.Count);
        AssertExactlyOnce(api, outcomes);
    }

    /// <summary>Created, or certainly not (every send failed before the server acted): never ambiguous for a single run.</summary>
    private static void AssertCreatedOrCertainlyNot(IEnumerable<BulkOutcome> outcomes) =>
        Assert.All(outcomes, o => Assert.True(o.Kind == BulkOutcomeKind.Created || ((BulkRowException)o.Error!).Problem == BulkRowProblem.NotCreated, o.Error?.Message));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A journal file on a disk that fills up after <c>limit</c> bytes.</summary>
    private sealed class FillingStream : MemoryStream
    {
        private readonly long _limit;
        public FillingStream(long limit) => _limit = limit;

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (Length + count > _limit) throw new IOException("No space left on device");
            base.Write(buffer, offset, count);
        }
    }
}
