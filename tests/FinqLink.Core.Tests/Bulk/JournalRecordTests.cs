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

    private static string Json(JournalEntry? entry) => JsonSerializer.Serialize(entry, FinqJson.Options);

    [Fact]
    public void Every_field_comes_back_as_it_was_given()
    {
        var entry = EveryFieldSet("ref:A");
        Assert.Equal(Json(entry), Json(new JournalRecord(entry, new StringPool()).Expand()));
    }

    [Fact]
    public void An_entry_with_nothing_but_its_key_comes_back_empty()
    {
        var entry = new JournalEntry { Key = "ref:B", State = JournalState.Created };
        Assert.Equal(Json(entry), Json(new JournalRecord(entry, new StringPool()).Expand()));
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
    public void Rows_that_share_values_share_one_copy_of_them()
    {
        var pool = new StringPool();
        JournalEntry Row(int i) => new() { Key = $"ref:{i}", State = JournalState.Pending, Fingerprint = new Dictionary<string, string> { ["amount"] = "10.00", ["options"] = new string('a', 8) + "b" } };
        var first = new JournalRecord(Row(1), pool).Expand().Fingerprint!;
        var second = new JournalRecord(Row(2), pool).Expand().Fingerprint!;
        Assert.Same(first["options"], second["options"]);
        Assert.Equal(first, second);
    }
}
