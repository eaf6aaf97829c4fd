using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Bulk;
using Xunit;

namespace FinqLink.Core.Tests.Bulk;

/// <summary>What the user typed as -JournalPath, told apart and shown without secrets; the journal's lines read alike everywhere.</summary>
public sealed class JournalStoresTests
{
    [Theory]
    [InlineData("https://acct.blob.core.windows.net/journals/run.jsonl", true)]
    [InlineData("http://127.0.0.1:10000/devstoreaccount1/journals/run.jsonl", true)]
    [InlineData("/tmp/run.journal", false)]
    [InlineData("./run.journal", false)]
    [InlineData("run.journal", false)]
    public void A_location_is_a_storage_url_only_with_http_or_https(string location, bool url) =>
        Assert.Equal(url, JournalStores.IsUrl(location));

    [Fact]
    public void A_location_is_described_without_its_sas()
    {
        const string url = "https://acct.blob.core.windows.net/journals/run.jsonl?sv=2024-08-04&sp=racw&se=2030-01-01T00%3A00%3A00Z&sig=c2VjcmV0c2lnbmF0dXJl";
        Assert.Equal("https://acct.blob.core.windows.net/journals/run.jsonl", JournalStores.Describe(url));
        Assert.Equal("/tmp/run.journal", JournalStores.Describe("/tmp/run.journal"));
    }

    [Theory]
    [InlineData(null, 30)]
    [InlineData("15", 15)]
    [InlineData("60", 60)]
    [InlineData("14", 30)]
    [InlineData("61", 30)]
    [InlineData("-20", 30)]
    [InlineData("20s", 30)]
    public void A_storage_lease_lasts_30_s_unless_the_test_suite_asks_for_15_to_60(string? variable, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), JournalStoreOptions.DefaultLeaseDuration(name => name == "FINQLINK_TEST_LEASE_SECONDS" ? variable : null));

    [Fact]
    public async Task Plain_http_is_refused_for_anything_but_this_machine()
    {
        var refused = await Assert.ThrowsAsync<ArgumentException>(() =>
            JournalStores.OpenAsync("http://acct.blob.core.windows.net/journals/run.jsonl?sig=secret", null, CancellationToken.None));
        Assert.Contains("needs https", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_path_opens_a_local_journal()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("finqlink-stores-").FullName, "run.journal");
        using (var store = await JournalStores.OpenAsync(path, null, CancellationToken.None))
            Assert.IsType<FileJournalStore>(store);
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
    }

    [Fact]
    public void A_torn_line_marked_as_repaired_is_skipped_and_comments_are_ignored()
    {
        var text = "{\"key\":\"ref:A\",\"state\":\"created\"}\n{\"key\":\"ref:B\",\"sta\n" + JournalLines.RepairMark + "\n# a note\n{\"key\":\"ref:C\",\"state\":\"pending\"}\n";
        var (entries, lines) = JournalLines.Parse(Encoding.UTF8.GetBytes(text), "blob");
        Assert.Null(lines.Repaired);
        Assert.Equal(new[] { "ref:A", "ref:C" }, entries.ConvertAll(e => e.Key));
    }

    [Fact]
    public void A_bad_line_with_lines_after_it_and_no_mark_is_refused()
    {
        var text = "{\"key\":\"ref:A\",\"state\":\"created\"}\nnot json\n{\"key\":\"ref:C\",\"state\":\"pending\"}\n";
        var refused = Assert.Throws<FormatException>(() => JournalLines.Parse(Encoding.UTF8.GetBytes(text), "blob"));
        Assert.Contains("line 2 is not a journal entry", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_torn_last_line_is_reported_and_the_good_end_is_before_it()
    {
        var good = "{\"key\":\"ref:A\",\"state\":\"created\"}\n";
        var (_, lines) = JournalLines.Parse(Encoding.UTF8.GetBytes(good + "{\"key\":\"ref:B\",\"st"), "blob");
        Assert.Equal(Encoding.UTF8.GetByteCount(good), lines.GoodEnd);
        Assert.StartsWith("line 2 of blob was incomplete", lines.Repaired, StringComparison.Ordinal);
    }
}
