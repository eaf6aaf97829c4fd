using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Core.Tests.Fakes;
using FinqLink.Paging;
using Xunit;

namespace FinqLink.Core.Tests;

/// <summary>
/// Transaction pages as the client reads them: whole answers larger than the first read buffer, every item of every
/// page with its consent id, the cursor followed, and an answer that is not a page refused as unreadable.
/// </summary>
public sealed class TransactionPagingTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Every_item_of_every_page_is_read_with_its_consent(bool prefetch)
    {
        // 250 items with a long remittance text make each answer several times the 64 KB first buffer.
        var api = new TransactionPages(total: 620, pageSize: 250, padding: 1_000);
        using var client = TestClients.For(api);
        var read = client.Transactions.List("consent-7", null, new PageOptions { PageSize = 250, Prefetch = prefetch }).ToList();

        Assert.Equal(Enumerable.Range(0, 620).Select(i => $"t-{i}"), read.Select(t => t.TransactionId));
        Assert.All(read, t => Assert.Equal("consent-7", t.ConsentId));
        Assert.Equal(Enumerable.Range(0, 620).Select(i => 10m + i + 0.25m), read.Select(t => t.Amount));
        Assert.Equal(new[] { null, "k-249", "k-499" }, api.Cursors);
        Assert.Equal(Enumerable.Range(0, 620).Select(i => Remittance(i, 1_000)), read.Select(t => t.RemittanceInformation));
        Assert.Equal("kept", read[300].AdditionalProperties!["future_field"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Await_foreach_reads_the_same_items_without_blocking_a_thread(bool prefetch)
    {
        var api = new TransactionPages(total: 620, pageSize: 250, padding: 10);
        using var client = TestClients.For(api);
        var read = new List<string>();
        await foreach (var transaction in client.Transactions.List("consent-7", null, new PageOptions { PageSize = 250, Prefetch = prefetch }))
            read.Add(transaction.TransactionId!);
        Assert.Equal(Enumerable.Range(0, 620).Select(i => $"t-{i}"), read);
        Assert.Equal(new[] { null, "k-249", "k-499" }, api.Cursors);
    }

    [Fact]
    public async Task Pages_come_one_at_a_time_and_a_prefetched_one_is_there_when_asked_for()
    {
        var api = new TransactionPages(total: 620, pageSize: 250, padding: 10);
        using var client = TestClients.For(api);
        var pages = new List<PageInfo>();
        using var cursor = client.Transactions.List("consent-7", null, new PageOptions { PageSize = 250, Prefetch = true, OnPage = pages.Add }).OpenPages();
        Assert.True(await cursor.MoveNextAsync());
        Assert.Equal(250, cursor.Current.Count);
        Assert.Single(api.Cursors);                       // nothing ahead of the first page: -First 5 costs one call
        Assert.True(await cursor.MoveNextAsync());
        Assert.Equal("t-250", cursor.Current[0].TransactionId);
        await api.WaitForCursors(3);                      // the third page was asked for while the second is read
        Assert.True(await cursor.MoveNextAsync());
        Assert.Equal(120, cursor.Current.Count);
        Assert.False(await cursor.MoveNextAsync());
        Assert.Equal(new long[] { 250, 500, 620 }, pages.Select(p => p.ItemsSoFar));
    }

    [Fact]
    public async Task A_page_fetched_ahead_is_requested_off_the_readers_thread()
    {
        // A PowerShell pipeline thread reads the pages and writes every item: building and sending the next request is
        // left to the thread pool. The fake answers at once, so without that the third request would start on the reader.
        var api = new TransactionPages(total: 620, pageSize: 250, padding: 10);
        using var client = TestClients.For(api);
        var pages = client.Transactions.List("consent-7", null, new PageOptions { PageSize = 250, Prefetch = true });
        var read = new TaskCompletionSource<(int Reader, int Items)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() => ReadBlocking(pages, read)) { IsBackground = true };
        thread.Start();
        var (reader, items) = await read.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(620, items);
        Assert.Equal(new[] { null, "k-249", "k-499" }, api.Cursors);
        Assert.Equal(reader, api.Threads[0]);              // the first page is asked for by the reader itself
        Assert.NotEqual(reader, api.Threads[2]);
    }

    /// <summary>Reads every page on the calling thread, waiting as the module's pipeline thread waits.</summary>
    private static void ReadBlocking(PagedList<Models.Data.Transaction> list, TaskCompletionSource<(int Reader, int Items)> read)
    {
        try
        {
            using var cursor = list.OpenPages();
            var items = 0;
            while (cursor.MoveNextAsync().GetAwaiter().GetResult()) items += cursor.Current.Count;
            read.SetResult((Environment.CurrentManagedThreadId, items));
        }
        catch (Exception e) { read.SetException(e); }
    }

    /// <summary>Different on every item, in length too: a buffer still holding another page's bytes cannot pass for this one.</summary>
    private static string Remittance(int item, int padding) => $"{item}:" + new string((char)('a' + item % 26), padding + item % 13);

    [Theory]
    [InlineData("null")]
    [InlineData("{\"transactions\":[{\"id\":\"t-0\"")]
    [InlineData("{\"transactions\":[{\"amount\":\"ten\"}]}")]
    public void An_answer_that_is_not_a_page_is_refused_as_unreadable(string answer)
    {
        using var client = TestClients.For(new FixedAnswer(answer));
        var error = Assert.Throws<FinqLinkResponseException>(() => client.Transactions.List("consent-7").ToList());
        Assert.Contains("is not the JSON this operation returns", error.Message);
    }

    private sealed class TransactionPages(int total, int pageSize, int padding) : HttpMessageHandler
    {
        private readonly SemaphoreSlim _asked = new(0);

        public List<string?> Cursors { get; } = new();

        /// <summary>The thread each request was sent from, in the order of <see cref="Cursors"/>.</summary>
        public List<int> Threads { get; } = new();

        public async Task WaitForCursors(int count)
        {
            while (Cursors.Count < count) Assert.True(await _asked.WaitAsync(TimeSpan.FromSeconds(30)), $"only {Cursors.Count} pages were asked for");
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var thread = Environment.CurrentManagedThreadId;
            var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!;
            var after = (string?)body["pagination"]?["after"];
            lock (Cursors)
            {
                Cursors.Add(after);
                Threads.Add(thread);
            }
            _asked.Release();
            var first = after == null ? 0 : int.Parse(after.AsSpan(2), NumberStyles.Integer, CultureInfo.InvariantCulture) + 1;
            var last = Math.Min(total, first + pageSize);
            // Written by hand: the serializer's writer would leave copies of the page in the shared array pool, where the
            // reader's buffers come from, and hide a reader that loses what it has read when it grows its buffer.
            var page = new StringBuilder("{\"transactions\":[");
            for (var i = first; i < last; i++)
                page.Append(i == first ? "" : ",").Append(CultureInfo.InvariantCulture, $"{{\"id\":\"t-{i}\",\"amount\":\"{10 + i}.25\",\"currency\":\"RON\",")
                    .Append(CultureInfo.InvariantCulture, $"\"remittance_information\":\"{Remittance(i, padding)}\",\"keyset\":\"k-{i}\",\"future_field\":\"kept\"}}");
            page.Append(CultureInfo.InvariantCulture, $"],\"pagination\":{{\"count\":{last - first},\"more?\":{(last < total ? "true" : "false")},\"after\":\"k-{last - 1}\"}}}}");
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(page.ToString(), Encoding.UTF8, "application/json") };
        }
    }

    private sealed class FixedAnswer(string json) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") });
    }
}
