using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Threading.Tasks;
using FinqLink.Bulk;
using FinqLink.Json;
using Xunit;

namespace FinqLink.Core.Tests.Bulk;

/// <summary>
/// The journal's compact in-memory form gives back every field of every entry: a field added to JournalEntry and not
/// carried by JournalRecord fails here (each public property is set to a value of its own).
/// </summary>
public sealed class JournalRecordTests
{
    private static JournalEntry EveryFieldSet(string key)
    {
        var entry = new JournalEntry();
        var n = 0;
        foreach (var property in typeof(JournalEntry).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            n++;
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            object value = type == typeof(string) ? $"{property.Name}-value/{n}"
                : type == typeof(long) ? 1000L + n
                : type == typeof(int) ? n
                : type == typeof(DateTimeOffset) ? new DateTimeOffset(2026, 12, 1, 10, n, 0, TimeSpan.FromHours(n % 3))
                : type == typeof(string[]) ? new[] { $"{property.Name}-1", $"{property.Name}-2" }
                : type == typeof(Dictionary<string, string>) ? new Dictionary<string, string> { ["amount"] = "12.50", ["currency"] = "RON", [property.Name] = "sha256:" + n }
                : type == typeof(bool) ? true
                : type == typeof(decimal) ? 12.5m + n
                : throw new InvalidOperationException($"JournalEntry.{property.Name} is a {type}: teach this test a value for it.");
            property.SetValue(entry, value);
        }
        entry.Key = key;
        return entry;
    }

    private static JournalEntry Kept(JournalEntry entry, StringPool pool) => JournalRecord.Of(entry, pool, new RecordWriter()).Expand(entry.Key, pool);

    private static string Json(JournalEntry? entry) => JsonSerializer.Serialize(entry, FinqJson.Options);

    [Fact]
    public void Every_field_comes_back_as_it_was_given()
    {
        var entry = EveryFieldSet("ref:A");
        Assert.Equal(Json(entry), Json(Kept(entry, new StringPool())));
    }

    [Fact]
    public void An_entry_with_nothing_but_its_key_comes_back_empty()
    {
        var entry = new JournalEntry { Key = "ref:B", State = JournalState.Created };
        Assert.Equal(Json(entry), Json(Kept(entry, new StringPool())));
    }

    [Fact]
    public void Ids_hashes_references_and_times_in_every_form_come_back_exactly()
    {
        var pool = new StringPool();
        var guid = "d9a50206-de31-4ea8-b7f6-4e90b32bbca2";
        var hash = "sha256:0123456789abcdef0123456789abcdef";
        var entries = new[]
        {
            // The compact forms: a GUID link id and page, fingerprint hashes, a reference the key holds, negative offsets.
            new JournalEntry
            {
                Key = "ref:INV-1", State = JournalState.Created, At = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(-5)), LinkId = guid,
                WebUrl = "https://pay.example/l/" + guid, Reference = "INV-1", Superseded = new[] { guid, "link-1" },
                Fingerprint = new Dictionary<string, string> { ["amount"] = "12.50", ["creditor"] = hash, ["debtor"] = "", ["remittance"] = null! },
                WindowFrom = new DateTimeOffset(2026, 11, 30, 23, 59, 59, TimeSpan.FromMinutes(330)).AddTicks(1), ExpiresAt = DateTimeOffset.MaxValue,
                Run = DateTimeOffset.MinValue, Row = -1, ExpiresInSeconds = long.MaxValue, BaseExpiresInSeconds = long.MinValue, Lane = int.MinValue,
            },
            // The same shapes, one character off: kept as the text they are.
            new JournalEntry
            {
                Key = "ref:INV-2", State = "", LinkId = guid.ToUpperInvariant(), WebUrl = "no-slash", Reference = "inv-2",
                Fingerprint = new Dictionary<string, string> { ["options"] = hash.ToUpperInvariant(), ["amount"] = hash + "0", ["é"] = "Ünïcödé ✓ \ud83d\ude00" },
                Candidates = new[] { guid.Replace('-', '_'), "", null! }, Error = "Ünïcödé \u0000 \ud800", RemittanceInformation = "Factura nr. 7 — ședință",
            },
            new JournalEntry { Key = "body:" + hash, State = null!, Reference = " INV-3 ", WebUrl = "https://pay.example/l/" },
        };
        foreach (var entry in entries)
            Assert.Equal(Json(entry), Json(Kept(entry, pool)));
    }

    [Fact]
    public void Values_past_what_the_pool_holds_come_back_too()
    {
        var pool = new StringPool();
        for (var i = 0; i < 5000; i++)
        {
            var entry = new JournalEntry
            {
                Key = $"ref:{i}", State = JournalState.Pending, Status = $"status-{i}", RemittanceInformation = $"remittance {i}",
                Fingerprint = new Dictionary<string, string> { [$"part-{i}"] = $"{i}.00", ["currency"] = "RON" },
            };
            Assert.Equal(Json(entry), Json(Kept(entry, pool)));
        }
    }

    [Fact]
    public async Task The_journal_answers_every_field_of_the_latest_entry_and_of_earlier_ones_it_lacks()
    {
        var folder = Directory.CreateTempSubdirectory("finqlink-record-").FullName;
        try
        {
            var earlier = EveryFieldSet("ref:C");
            var later = new JournalEntry { Key = "ref:C", State = JournalState.Created, LinkId = "link-2", WebUrl = "https://pay.example/p/xyz" };
            var expected = later.Copy().Inherit(earlier.Copy());
            using (var journal = LinkJournal.Over(FileJournalStore.Open(Path.Combine(folder, "j"))))
            {
                await journal.AppendAsync(earlier);
                await journal.AppendAsync(later);
                expected.At = later.At;
                Assert.Equal(Json(expected), Json(journal.Find("ref:C")));
                Assert.Equal(Json(expected), Json(journal.Entries.Single()));
            }
            using (var reopened = LinkJournal.Over(FileJournalStore.Open(Path.Combine(folder, "j"))))
                Assert.Equal(Json(expected), Json(reopened.Find("ref:C")));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public async Task The_links_asked_about_that_rows_claim_are_found_in_every_form()
    {
        string Id(int n) => $"d9a50206-de31-4ea8-b7f6-4e90b32bbc{n:D2}";
        using var journal = LinkJournal.Over(new JournalMemoryTests.KeepsNothing());
        await journal.AppendAsync(new JournalEntry { Key = "ref:A", State = JournalState.Created, LinkId = Id(1) });
        await journal.AppendAsync(new JournalEntry { Key = "ref:B", State = JournalState.Created, LinkId = "link-2", Superseded = new[] { Id(3), "link-4" } });
        await journal.AppendAsync(new JournalEntry { Key = "ref:C", State = JournalState.Ambiguous, LinkId = Id(5), Candidates = new[] { Id(6) } });
        await journal.AppendAsync(new JournalEntry { Key = "ref:D", State = JournalState.Created, LinkId = Id(7).ToUpperInvariant() });

        var asked = Enumerable.Range(1, 8).Select(Id).Concat(new[] { "link-2", "link-4", "link-9", Id(7).ToUpperInvariant() }).ToList();

        // Created rows' links and superseded links are claimed; a link of a row not created, a candidate, or another spelling are not.
        Assert.Equal(new[] { Id(1), Id(3), "link-2", "link-4", Id(7).ToUpperInvariant() }.OrderBy(i => i, StringComparer.Ordinal),
            journal.ClaimedAmong(asked).OrderBy(i => i, StringComparer.Ordinal));
        Assert.Empty(journal.ClaimedAmong(new[] { Id(5), Id(6), Id(7), "link-9" }));
    }

    [Fact]
    public void Rows_that_share_values_share_one_copy_of_them()
    {
        var pool = new StringPool();
        JournalEntry Row(int i) => new() { Key = $"ref:{i}", State = JournalState.Pending, Fingerprint = new Dictionary<string, string> { ["amount"] = "10.00", ["options"] = new string('a', 8) + "b" } };
        var first = Kept(Row(1), pool).Fingerprint!;
        var second = Kept(Row(2), pool).Fingerprint!;
        Assert.Same(first["options"], second["options"]);
        Assert.Equal(first, second);
    }
}
