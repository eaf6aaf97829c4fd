using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Auth;
using FinqLink.Bulk;
using FinqLink.Core.Tests.Fakes;
using FinqLink.Http;
using Xunit;
using static FinqLink.Core.Tests.Bulk.BulkTestRuns;

namespace FinqLink.Core.Tests.Bulk;

/// <summary>A journal records the links of one API client at one address, and a run for another is refused before it sends.</summary>
public sealed class JournalOwnerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("finqlink-owner-").FullName;

    private string JournalPath => Path.Combine(_folder, "run.journal");

    private static FinqLinkClient Client(System.Net.Http.HttpMessageHandler api, string baseUri, string clientId, bool testPath = false) =>
        new(new FinqLinkClientOptions(new ApiPaths(new Uri(baseUri), useTestPath: testPath), clientId, new ClientSecretAuthenticator(Secret.FromString("secret"))), api, TimeProvider.System);

    private async Task<(BulkOutcome[] Outcomes, Exception? Refused)> Run(FakeFinqLinkApi api, string baseUri, string clientId, bool testPath = false)
    {
        using var client = Client(api, baseUri, clientId, testPath);
        var outcomes = new ConcurrentQueue<BulkOutcome>();
        using var run = new BulkLinkRun(client, new BulkRunOptions { JournalPath = JournalPath, SettleDelay = TimeSpan.FromMilliseconds(20) }, outcomes.Enqueue);
        try { run.Open(CancellationToken.None); }
        catch (JournalOfAnotherClientException refused) { return (Array.Empty<BulkOutcome>(), refused); }
        foreach (var row in Rows("OWN", 3)) await run.AddAsync(row, CancellationToken.None);
        await run.CompleteAsync();
        return (outcomes.ToArray(), null);
    }

    [Fact]
    public async Task A_run_for_another_address_or_client_is_refused_before_it_sends_and_names_both()
    {
        var first = new FakeFinqLinkApi();
        Assert.All((await Run(first, "https://api.example", "client-1")).Outcomes, o => Assert.Equal(BulkOutcomeKind.Created, o.Kind));

        foreach (var (baseUri, clientId, testPath) in new[] { ("https://sandbox.example", "client-1", false), ("https://api.example", "client-2", false), ("https://api.example", "client-1", true) })
        {
            var other = new FakeFinqLinkApi();
            var (outcomes, refused) = await Run(other, baseUri, clientId, testPath);
            var error = Assert.IsType<JournalOfAnotherClientException>(refused);
            Assert.Empty(outcomes);
            Assert.Equal(0, other.CreateCalls);
            Assert.Contains("client client-1 at https://api.example;", error.Message);
            Assert.Contains($"client {clientId} at {baseUri}" + (testPath ? "/test" : "") + ".", error.Message);
        }

        // The same client at the same address, spelled otherwise, with a password in it: every row is answered from the journal.
        var again = new FakeFinqLinkApi();
        var (answered, none) = await Run(again, "HTTPS://user:pa55word@API.example:443/", "client-1");
        Assert.Null(none);
        Assert.All(answered, o => Assert.True(o.Link!.FromJournal));
        Assert.Equal(0, again.CreateCalls);
        Assert.Single(File.ReadAllLines(JournalPath), l => l.Contains("\"key\":\"api:client\"", StringComparison.Ordinal));
        Assert.DoesNotContain("pa55word", File.ReadAllText(JournalPath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_journal_is_named_only_once_the_api_has_answered()
    {
        var down = new ScriptedHandler { WhenScriptEnds = () => ScriptedHandler.Json(System.Net.HttpStatusCode.NotFound, """{"error":{"code":"not_found","message":"No API operation here"}}""") };
        using (var client = Client(down, "https://wrong.example", "client-1"))
        using (var run = new BulkLinkRun(client, new BulkRunOptions { JournalPath = JournalPath }, _ => { }))
            Assert.ThrowsAny<Exception>(() => run.Open(CancellationToken.None));
        Assert.True(!File.Exists(JournalPath) || !File.ReadAllText(JournalPath).Contains("api:client", StringComparison.Ordinal));
        Assert.All((await Run(new FakeFinqLinkApi(), "https://api.example", "client-1")).Outcomes, o => Assert.Equal(BulkOutcomeKind.Created, o.Kind));
    }

    [Fact]
    public async Task A_journal_that_names_no_client_is_named_by_a_run_at_the_api_that_has_its_links_and_refused_elsewhere()
    {
        var api = new FakeFinqLinkApi();
        await Run(api, "https://api.example", "client-1");
        // As a journal written before journals named their client: the owner line removed.
        File.WriteAllLines(JournalPath, File.ReadAllLines(JournalPath).Where(l => !l.Contains("\"key\":\"api:client\"", StringComparison.Ordinal)));

        var elsewhere = new FakeFinqLinkApi();
        var refused = Assert.IsType<JournalOfAnotherClientException>((await Run(elsewhere, "https://sandbox.example", "client-1")).Refused);
        Assert.Contains("names no API client, and its link", refused.Message);
        Assert.Equal(0, elsewhere.CreateCalls);
        Assert.DoesNotContain("api:client", File.ReadAllText(JournalPath), StringComparison.Ordinal);

        // Another client id at the same API, which has the links (as a renamed client would be): taken, and named.
        var (answered, none) = await Run(api, "https://api.example", "client-2");
        Assert.Null(none);
        Assert.All(answered, o => Assert.True(o.Link!.FromJournal));
        Assert.IsType<JournalOfAnotherClientException>((await Run(api, "https://api.example", "client-1")).Refused);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
