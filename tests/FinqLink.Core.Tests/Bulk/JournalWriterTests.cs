using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Bulk;
using Xunit;

namespace FinqLink.Core.Tests.Bulk;

/// <summary>The journal's writer: a thread of its own, which a synchronous flush to the disk cannot take from the thread pool.</summary>
public sealed class JournalWriterTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private static JournalEntry Entry(string key) => new() { Key = key, State = JournalState.Pending };

    [Fact]
    public async Task The_store_is_written_from_the_journals_own_thread_never_from_the_thread_pool()
    {
        var store = new WatchedStore();
        using var journal = LinkJournal.Over(store);
        for (var i = 0; i < 5; i++)
            await Task.WhenAll(Enumerable.Range(0, 20).Select(n => Task.Run(() => journal.AppendAsync(Entry($"ref:{i}-{n}"))))).WaitAsync(Deadline);
        Assert.Equal(100, store.Written.Count);
        Assert.DoesNotContain(true, store.OnPoolThread);
        Assert.Single(store.Threads.Distinct());
    }

    [Fact]
    public async Task Disposing_waits_for_the_write_under_way_and_what_is_queued_then_closes_the_store()
    {
        var store = new WatchedStore { Gate = new ManualResetEventSlim() };
        var journal = LinkJournal.Over(store);
        var first = journal.AppendAsync(Entry("ref:A"));
        Assert.True(store.Writing.Wait(Deadline), "the first entry was never written");
        var second = journal.AppendAsync(Entry("ref:B"));
        var disposer = new Thread(journal.Dispose);
        disposer.Start();
        // Disposing either waits (blocked, its thread in WaitSleepJoin) or has closed the store under the write (ended).
        Assert.True(SpinWait.SpinUntil(() => (disposer.ThreadState & (ThreadState.WaitSleepJoin | ThreadState.Stopped)) != 0, Deadline));
        Assert.False(store.Disposed, "the store was closed while a write was under way");
        store.Gate.Set();
        Assert.True(disposer.Join(Deadline));
        await Task.WhenAll(first, second).WaitAsync(Deadline);
        Assert.Equal(new[] { "ref:A", "ref:B" }, store.Written);
        Assert.True(store.Disposed);
        Assert.False(store.WrittenAfterDispose);
    }

    [Fact]
    public async Task After_a_failed_write_every_append_fails_and_disposing_does_not_wait()
    {
        var store = new WatchedStore { Fail = true };
        var journal = LinkJournal.Over(store);
        await Assert.ThrowsAsync<JournalWriteException>(() => journal.AppendAsync(Entry("ref:A")).WaitAsync(Deadline));
        await Assert.ThrowsAsync<JournalWriteException>(() => journal.AppendAsync(Entry("ref:B")).WaitAsync(Deadline));
        Assert.False(journal.AllWritten);
        await Task.Run(journal.Dispose).WaitAsync(Deadline);
        Assert.True(store.Disposed);
    }

    [Fact]
    public async Task After_a_write_of_several_entries_the_writer_waits_and_what_is_queued_meanwhile_goes_in_one_write()
    {
        var store = new WatchedStore { Gate = new ManualResetEventSlim(), HoldOnlyFirst = true };
        var paused = new ManualResetEventSlim();
        var resume = new ManualResetEventSlim();
        var journal = LinkJournal.Over(store, null, _ => { paused.Set(); resume.Wait(Deadline); });
        var a = journal.AppendAsync(Entry("ref:A"));
        Assert.True(store.Writing.Wait(Deadline));
        var bc = new[] { journal.AppendAsync(Entry("ref:B")), journal.AppendAsync(Entry("ref:C")) };
        store.Gate.Set();
        Assert.True(paused.Wait(Deadline), "the writer never waited after writing two entries at once");
        await Task.WhenAll(bc.Append(a)).WaitAsync(Deadline);
        var def = new[] { journal.AppendAsync(Entry("ref:D")), journal.AppendAsync(Entry("ref:E")), journal.AppendAsync(Entry("ref:F")) };
        resume.Set();
        await Task.WhenAll(def).WaitAsync(Deadline);
        journal.Dispose();
        Assert.Equal(new[] { "A", "B C", "D E F" }, store.Batches.Select(b => string.Join(" ", b.Select(k => k.Substring(4)))));
    }

    [Fact]
    public async Task A_lone_appender_never_waits_for_a_gap()
    {
        var store = new WatchedStore();
        var pauses = 0;
        using var journal = LinkJournal.Over(store, null, _ => Interlocked.Increment(ref pauses));
        for (var i = 0; i < 20; i++) await journal.AppendAsync(Entry($"ref:{i}")).WaitAsync(Deadline);
        Assert.Equal(20, store.Batches.Count);
        Assert.Equal(0, pauses);
    }

    /// <summary>Records which thread wrote each batch; can hold a write until released, or fail it.</summary>
    private sealed class WatchedStore : IJournalStore
    {
        public ManualResetEventSlim? Gate { get; init; }
        public bool Fail { get; init; }
        public bool HoldOnlyFirst { get; init; }
        public List<string[]> Batches { get; } = new();
        public ManualResetEventSlim Writing { get; } = new();
        public List<string> Written { get; } = new();
        public List<bool> OnPoolThread { get; } = new();
        public List<int> Threads { get; } = new();
        public bool Disposed { get; private set; }
        public bool WrittenAfterDispose { get; private set; }

        public string Location => "watched";
        public string? Repaired => null;
        public IEnumerable<JournalEntry> Read() => Array.Empty<JournalEntry>();

        public Task AppendAsync(IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken)
        {
            OnPoolThread.Add(Thread.CurrentThread.IsThreadPoolThread);
            Threads.Add(Environment.CurrentManagedThreadId);
            Writing.Set();
            if (!HoldOnlyFirst || Batches.Count == 0) Gate?.Wait(Deadline, cancellationToken);
            if (Fail) throw new System.IO.IOException("the disk is full");
            WrittenAfterDispose |= Disposed;
            Written.AddRange(entries.Select(e => e.Key));
            Batches.Add(entries.Select(e => e.Key).ToArray());
            return Task.CompletedTask;
        }

        public void Dispose() => Disposed = true;
    }
}
