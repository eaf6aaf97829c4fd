using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using System.Xml;
using FinqLink.Bulk;
using FinqLink.Core.Tests.Fakes;
using FinqLink.Options;
using Xunit;

namespace FinqLink.Core.Tests.Bulk;

/// <summary>
/// Journals written before typed requests resume: Fixtures/journal-v0.jsonl is what New-FinqLink of commit e7aafc0 wrote
/// for the rows in Fixtures/journal-rows.json (Fixtures/New-JournalFixture.ps1), and today's keys and fingerprints of the
/// same rows must be the ones it holds, or a re-run would refuse every row as edited.
/// </summary>
public sealed class JournalFingerprintTests : IDisposable
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Bulk", "Fixtures");
    private readonly string _folder = Directory.CreateTempSubdirectory("finqlink-journal-v0-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Keys_and_fingerprints_are_the_ones_the_previous_version_journaled()
    {
        var journaled = JournaledFingerprints();
        var rows = Rows();
        Assert.Equal(7, rows.Count);
        foreach (var row in rows)
        {
            var fingerprint = RowFingerprint.Of(row.ToRequest());
            var key = RowKey.For(row.Reference, fingerprint);
            Assert.True(journaled.ContainsKey(key), $"{key} ({row.Options.RemittanceInformation ?? row.Options.Amount}) is not in the journal");
            Assert.Equal(journaled[key].OrderBy(p => p.Key), fingerprint.Parts.OrderBy(p => p.Key));
        }
    }

    [Fact]
    public async Task A_run_over_that_journal_answers_every_row_from_it_and_sends_nothing()
    {
        var journal = Path.Combine(_folder, "v0.jsonl");
        File.Copy(Path.Combine(Fixtures, "journal-v0.jsonl"), journal);
        var api = new FakeFinqLinkApi();
        var outcomes = await RunAsync(api, journal, Rows());
        Assert.All(outcomes, o => Assert.Equal(BulkOutcomeKind.FromJournal, o.Kind));
        Assert.Equal(0, api.CreateCalls);
    }

    [Fact]
    public async Task A_row_changed_since_is_still_told_apart()
    {
        var journal = Path.Combine(_folder, "v0.jsonl");
        File.Copy(Path.Combine(Fixtures, "journal-v0.jsonl"), journal);
        var rows = Rows();
        rows[0].Options.Amount = "1250.51";
        var outcomes = await RunAsync(new FakeFinqLinkApi(), journal, rows);
        Assert.Equal(BulkOutcomeKind.Rejected, outcomes[0].Kind);
        Assert.Contains("amount 1250.50 → 1250.51", outcomes[0].Error!.Message);
        Assert.All(outcomes.Skip(1), o => Assert.Equal(BulkOutcomeKind.FromJournal, o.Kind));
    }

    private static async Task<List<BulkOutcome>> RunAsync(FakeFinqLinkApi api, string journal, IEnumerable<BulkRow> rows)
    {
        // The API the fixture's run wrote to has its links: the journal names no client, and is checked by one of them.
        foreach (var line in File.ReadLines(journal))
            if (JsonNode.Parse(line)?["link_id"] is JsonNode id) api.Holds((string)id!);
        var outcomes = new ConcurrentQueue<BulkOutcome>();
        using var client = TestClients.For(api);
        using var run = new BulkLinkRun(client, new BulkRunOptions { JournalPath = journal, Random = new Random(1) }, outcomes.Enqueue);
        run.Open(CancellationToken.None);
        foreach (var row in rows) await run.AddAsync(row, CancellationToken.None);
        await run.CompleteAsync();
        return outcomes.OrderBy(o => o.Index).ToList();
    }

    private static Dictionary<string, Dictionary<string, string>> JournaledFingerprints()
    {
        var fingerprints = new Dictionary<string, Dictionary<string, string>>();
        foreach (var line in File.ReadLines(Path.Combine(Fixtures, "journal-v0.jsonl")))
        {
            using var entry = JsonDocument.Parse(line);
            if (entry.RootElement.TryGetProperty("fingerprint", out var parts))
                fingerprints[entry.RootElement.GetProperty("key").GetString()!] = parts.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        }
        return fingerprints;
    }

    /// <summary>The rows as New-FinqLink binds them: CSV text, one-element lists, durations and flags as the cmdlet reads them.</summary>
    private static List<BulkRow> Rows()
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures, "journal-rows.json")));
        var extra = (Hashtable)Plain(file.RootElement.GetProperty("additionalProperties"))!;
        return file.RootElement.GetProperty("plain").EnumerateArray().Select(r => Row(r, null))
            .Concat(file.RootElement.GetProperty("extra").EnumerateArray().Select(r => Row(r, extra))).ToList();
    }

    private static BulkRow Row(JsonElement row, IDictionary? extra)
    {
        string? Text(string name) => row.TryGetProperty(name, out var value) ? value.GetString() : null;
        string[]? List(string name) => Text(name) is string value ? new[] { value } : null;
        var options = new LinkCreateOptions
        {
            Amount = Text("Amount"), Currency = Text("Currency"), CreditorName = Text("CreditorName"), CreditorIban = Text("CreditorIban"),
            DebtorIban = Text("DebtorIban"), DebtorPsuId = Text("DebtorPsuId"), RemittanceInformation = Text("Description"),
            ProviderId = List("ProviderId"), RemitterType = List("RemitterType"), PaymentScheme = List("PaymentScheme"), PaymentEnvironment = List("PaymentEnvironment"),
            FlowType = Text("FlowType"), UxTemplate = Text("UxTemplate"), WebhookUrl = Text("WebhookUrl"), RedirectUrl = Text("RedirectUrl"),
            TrackingUserId = Text("TrackingUserId"), TrackingCompanyId = Text("TrackingCompanyId"), AdditionalProperties = extra,
            ExpiresIn = Text("ExpiresIn") switch
            {
                null => null,
                string iso when iso.StartsWith('P') => XmlConvert.ToTimeSpan(iso),
                string span => TimeSpan.ParseExact(span, "c", CultureInfo.InvariantCulture),
            },
            UserEditable = Text("UserEditable") switch { null => null, "true" => true, "no" => false, string other => throw new ArgumentException(other) },
        };
        return new BulkRow(options, Text("InvoiceNumber"), null);
    }

    /// <summary>JSON as PowerShell hands -AdditionalProperties over: hashtables, object arrays, strings and ints.</summary>
    private static object? Plain(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => new Hashtable(value.EnumerateObject().ToDictionary(p => p.Name, p => Plain(p.Value))),
        JsonValueKind.Array => value.EnumerateArray().Select(Plain).ToArray(),
        JsonValueKind.Number => value.GetInt32(),
        _ => value.GetString(),
    };
}
