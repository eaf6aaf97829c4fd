using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Bulk;
using Xunit;

namespace FinqLink.Core.Tests.Bulk;

/// <summary>The local journal store against a temporary folder, and the journal over it: durable, repaired, held by one run.</summary>
public sealed class JournalStoreTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly string _folder = Directory.CreateTempSubdirectory("finqlink-store-").FullName;

    private string Path(string name = "run.journal") => System.IO.Path.Combine(_folder, name);

    private static JournalEntry Entry(string key, string state, string? linkId = null) => new() { Key = key, State = state, LinkId = linkId };

    [Fact]
    public async Task An_append_completes_only_once_its_line_is_flushed()
    {
        var disk = new GatedStream();
        using var journal = LinkJournal.Over(FileJournalStore.Over("gated", disk));
        var append = journal.AppendAsync(Entry("ref:A", JournalState.Pending));
        Assert.True(disk.FlushStarted.Wait(Deadline), "the line was never flushed");
        Assert.False(append.IsCompleted, "the append completed before its flush did");
        disk.Release.Set();
        await append.WaitAsync(Deadline);
        Assert.Contains("\"ref:A\"", disk.FlushedText);
    }

    [Fact]
    public async Task Lines_written_by_one_run_are_read_by_the_next_and_the_last_of_a_key_wins()
    {
        using (var journal = LinkJournal.Over(FileJournalStore.Open(Path())))
        {
            var first = new JournalEntry { Key = "ref:A", State = JournalState.Pending, ExpiresInSeconds = 604810, Lane = 2 };
            await journal.AppendAsync(first).WaitAsync(Deadline);
            await Task.WhenAll(journal.AppendAsync(Entry("ref:A", JournalState.Created, "link-a")), journal.AppendAsync(Entry("ref:B", JournalState.NotCreated))).WaitAsync(Deadline);
        }
        using var reopened = LinkJournal.Over(FileJournalStore.Open(Path()));
        var a = reopened.Find("ref:A")!;
        Assert.Equal((JournalState.Created, "link-a", 604810L, 2), (a.State, a.LinkId, a.ExpiresInSeconds!.Value, a.Lane!.Value));
        Assert.Equal(JournalState.NotCreated, reopened.Find("ref:B")!.State);
        Assert.Equal(new[] { "link-a" }, reopened.ClaimedAmong(new[] { "link-a", "link-b", "link-c" }));
        Assert.Null(reopened.Repaired);
    }

    [Fact]
    public async Task A_torn_last_line_is_cut_off_and_reported_and_the_next_line_starts_clean()
    {
        File.WriteAllText(Path(), """{"key":"ref:A","state":"created","link_id":"link-a"}""" + "\n" + """{"key":"ref:B","sta""");
        using (var store = FileJournalStore.Open(Path()))
        {
            Assert.Contains("line 2", store.Repaired);
            Assert.Equal(new[] { "ref:A" }, store.Read().Select(e => e.Key));
            await store.AppendAsync(new[] { Entry("ref:C", JournalState.Pending) }, CancellationToken.None);
        }
        Assert.Equal(new[] { "ref:A", "ref:C" }, File.ReadAllLines(Path()).Select(l => l.Split('"')[3]));
    }

    [Fact]
    public async Task Opened_past_the_lines_read_before_it_checks_only_what_follows_and_still_cuts_a_torn_last_line()
    {
        long read;
        using (var store = FileJournalStore.Open(Path()))
        {
            await store.AppendAsync(new[] { Entry("ref:A", JournalState.Created, "link-a"), Entry("ref:B", JournalState.Created, "link-b") }, CancellationToken.None);
            read = store.Length;
        }
        // A line before the offset broken since (a raw NUL in JSON) is not read again: a whole check would refuse the file. A torn line after it is cut.
        var text = File.ReadAllText(Path());
        File.WriteAllText(Path(), text.Replace("link-a", "link-\u0000") + """{"key":"ref:C","state":"created"}""" + "\n" + """{"key":"ref:D","st""");
        using (var store = FileJournalStore.Open(Path(), read))
        {
            Assert.Contains("line 2", store.Repaired);                                        // line 2 of what follows the offset
            Assert.Equal(new[] { "ref:C" }, store.ReadFrom(read).Select(e => e.Key));
        }
        Assert.EndsWith("""{"key":"ref:C","state":"created"}""" + "\n", File.ReadAllText(Path()));
    }

    [Fact]
    public void Opened_past_an_offset_that_no_longer_starts_a_line_it_checks_the_whole_journal()
    {
        const string a = """{"key":"ref:A","state":"created"}""", b = """{"key":"ref:B","state":"created"}""";
        File.WriteAllText(Path(), a + "\n" + b + "\n");
        // Inside B's line (a journal replaced by a shorter one, say): read from there, B would look torn and be cut.
        using (var store = FileJournalStore.Open(Path(), checkedUpTo: a.Length + 4))
        {
            Assert.Null(store.Repaired);
            Assert.Equal(new[] { "ref:A", "ref:B" }, store.Read().Select(e => e.Key));
        }
        Assert.Equal(a + "\n" + b + "\n", File.ReadAllText(Path()));
        using (var longer = FileJournalStore.Open(Path(), checkedUpTo: 1000)) Assert.Null(longer.Repaired);     // shorter than that now
        File.WriteAllText(Path(), "name,amount\nQ-1,10\n" + a + "\n");
        Assert.Throws<FormatException>(() => FileJournalStore.Open(Path(), checkedUpTo: 12));      // a newline, but not lines after it
    }

    [Fact]
    public void A_file_that_is_not_a_journal_is_refused_not_repaired()
    {
        File.WriteAllText(Path(), "name,amount\nQ-1,10\n" + """{"key":"ref:A","state":"created"}""" + "\n");
        Assert.Throws<FormatException>(() => FileJournalStore.Open(Path()));
        Assert.StartsWith("name,amount", File.ReadAllText(Path()));
    }

    [Fact]
    public void One_run_holds_the_journal_until_it_lets_go()
    {
        var first = FileJournalStore.Open(Path());
        Assert.Throws<JournalInUseException>(() => FileJournalStore.Open(Path()));
        first.Dispose();
        using var second = FileJournalStore.Open(Path());
        Assert.Equal(Path(), second.Location);
    }

    [Fact]
    public async Task A_failed_write_fails_that_append_and_every_later_one()
    {
        using var journal = LinkJournal.Over(FileJournalStore.Over("full", new FullDisk()));
        var failed = await Assert.ThrowsAsync<JournalWriteException>(() => journal.AppendAsync(Entry("ref:A", JournalState.Pending)).WaitAsync(Deadline));
        Assert.Contains("full could not be written (No space left on device)", failed.Message);
        await Assert.ThrowsAsync<JournalWriteException>(() => journal.AppendAsync(Entry("ref:B", JournalState.Pending)).WaitAsync(Deadline));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A disk whose flush waits for the test, and that remembers what had been flushed.</summary>
    private sealed class GatedStream : MemoryStream
    {
        public ManualResetEventSlim FlushStarted { get; } = new();
        public ManualResetEventSlim Release { get; } = new();
        public string FlushedText { get; private set; } = "";

        public override void Flush()
        {
            FlushStarted.Set();
            Release.Wait(Deadline);
            FlushedText = System.Text.Encoding.UTF8.GetString(ToArray());
        }
    }

    private sealed class FullDisk : MemoryStream
    {
        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("No space left on device");
    }
}
