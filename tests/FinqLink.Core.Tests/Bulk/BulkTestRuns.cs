using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Bulk;
using FinqLink.Core.Tests.Fakes;
using FinqLink.Options;
using Xunit;

namespace FinqLink.Core.Tests.Bulk;

/// <summary>
/// What the bulk run tests share: rows that name themselves, a whole run against an in-memory API, and the check that
/// every row got at most one link, its own.
/// </summary>
internal static class BulkTestRuns
{
    /// <summary>
    /// Rows <paramref name="prefix"/>-<paramref name="from"/>.. whose remittance names them, so a link can be traced back
    /// to the row it was made for; each has its own amount (10 + n + (n % 100)/100).
    /// </summary>
    public static List<BulkRow> Rows(string prefix, int count, int from = 1, TimeSpan? expiresIn = null) =>
        Enumerable.Range(from, count).Select(i => new BulkRow(
            new LinkCreateOptions { Amount = 10 + i + i % 100 / 100m, Currency = "RON", RemittanceInformation = $"{prefix}-{i}", ExpiresIn = expiresIn },
            $"{prefix}-{i}", i)).ToList();

    /// <summary>Opens a run, adds the rows (until it refuses one), completes it and returns its outcomes.</summary>
    public static async Task<List<BulkOutcome>> RunAsync(FakeFinqLinkApi api, BulkRunOptions options, IEnumerable<BulkRow> rows, Action<BulkLinkRun>? inspect = null)
    {
        using var opened = new OpenedRun(api, options);
        foreach (var row in rows) if (!await opened.Run.AddAsync(row, CancellationToken.None)) break;
        await opened.Run.CompleteAsync();
        inspect?.Invoke(opened.Run);
        return opened.Outcomes.ToList();
    }

    /// <summary>The API holds at most one link per row.</summary>
    public static void AssertNoRowCreatedTwice(FakeFinqLinkApi api) =>
        Assert.Empty(api.Links.GroupBy(l => l.Remittance).Where(g => g.Count() > 1).Select(g => g.Key));

    /// <summary>No row created twice, and no row holds another's link.</summary>
    public static void AssertExactlyOnce(FakeFinqLinkApi api, IEnumerable<BulkOutcome> outcomes)
    {
        AssertNoRowCreatedTwice(api);
        foreach (var outcome in outcomes.Where(o => o.Link != null))                                            // no row holds another's link
            Assert.Equal(outcome.Row.Reference, api.Links.Single(l => l.LinkId == outcome.Link!.LinkId).Remittance);
    }
}

/// <summary>A run opened on a client of its own for the in-memory API, collecting its outcomes; disposing it disposes both.</summary>
internal sealed class OpenedRun : IDisposable
{
    private readonly FinqLinkClient _client;

    public OpenedRun(FakeFinqLinkApi api, BulkRunOptions options)
    {
        _client = TestClients.For(api);
        Run = new BulkLinkRun(_client, options, Outcomes.Enqueue);
        Run.Open(CancellationToken.None);
    }

    public BulkLinkRun Run { get; }
    public ConcurrentQueue<BulkOutcome> Outcomes { get; } = new();

    public void Dispose()
    {
        Run.Dispose();
        _client.Dispose();
    }
}
