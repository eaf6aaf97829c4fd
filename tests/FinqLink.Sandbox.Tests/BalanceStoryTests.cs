using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace FinqLink.Sandbox.Tests;

/// <summary>
/// Transactions' running balance and balances/list tell one story per account and day: closing_booked is the balance
/// after the newest booked transaction of that day or before, available the balance after the newest of any status.
/// </summary>
public sealed class BalanceStoryTests : IAsyncLifetime
{
    private const int BalanceHistoryDays = 30;
    private readonly HttpClient _http = new();
    private SandboxHost _sandbox = null!;

    public async Task InitializeAsync() => _sandbox = await SandboxHost.StartAsync(new SandboxOptions
    {
        TransactionsPerConsent = 1_500, BankStepDelay = TimeSpan.FromMilliseconds(5), JobStepDelay = TimeSpan.FromMilliseconds(5), JobCooldown = TimeSpan.Zero,
    });

    private async Task<JsonObject> Post(string resource, JsonObject body) => (await _http.PostJson(_sandbox.BaseUrl + "/v2/" + resource, body)).Body;

    private sealed record Tx(string Id, string Account, DateTime Day, DateTimeOffset Booked, bool Pending, decimal Signed, decimal Balance);

    private async Task<List<T>> All<T>(string resource, string items, string consentId, Func<JsonNode, T> read)
    {
        var all = new List<T>();
        string? after = null;
        do
        {
            var page = new JsonObject { ["limit"] = 250 };
            if (after is not null) page["after"] = after;
            var body = await Post(resource, new JsonObject { ["consent_id"] = consentId, ["pagination"] = page });
            all.AddRange(body[items]!.AsArray().Select(n => read(n!)));
            after = (bool)body["pagination"]!["more?"]! ? (string)body["pagination"]!["after"]! : null;
        } while (after is not null);
        return all;
    }

    private static decimal Money(JsonNode? n) => decimal.Parse((string)n!, CultureInfo.InvariantCulture);
    private static decimal Signed(JsonNode item) => (string)item["credit_debit_indicator"]! == "credit" ? Money(item["amount"]) : -Money(item["amount"]);

    private static Tx ReadTransaction(JsonNode t)
    {
        var booked = DateTimeOffset.Parse((string)t["booking_date_time"]!, CultureInfo.InvariantCulture);
        return new Tx((string)t["id"]!, (string)t["account_id"]!, booked.UtcDateTime.Date, booked, (string)t["status"]! == "pending", Signed(t), Money(t["balance"]));
    }

    /// <summary>Checks every balance of balances/list against the transactions and returns how many days had a transaction to compare with.</summary>
    private async Task<int> AssertOneStory(string consentId)
    {
        var transactions = await All("ais/transactions/list", "transactions", consentId, ReadTransaction);
        var balances = await All("ais/balances/list", "balances", consentId, b => b.AsObject());
        Assert.Equal(BalanceHistoryDays * 2 * 2, balances.Count);
        var comparedDays = 0;
        foreach (var balance in balances)
        {
            var account = (string)balance["account_id"]!;
            var day = DateTime.ParseExact((string)balance["reference_date"]!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var ofAccount = transactions.Where(t => t.Account == account).ToList();
            var opening = ofAccount[^1].Balance - ofAccount[^1].Signed;
            var closingBooked = (string)balance["type"]! == "closing_booked";
            var newest = ofAccount.FirstOrDefault(t => t.Day <= day && !(closingBooked && t.Pending));
            Assert.True((newest?.Balance ?? opening) == Signed(balance),
                $"{balance["type"]} of {account} on {day:yyyy-MM-dd} is {Signed(balance)}, but the transactions say {newest?.Balance ?? opening} ({newest?.Id ?? "opening"})");
            if (newest?.Day == day) comparedDays++;
        }
        Assert.Equal(3, transactions.Count(t => t.Pending));
        Assert.True(transactions.Take(3).All(t => t.Pending), "the three newest transactions are the pending ones");
        return comparedDays;
    }

    [Fact]
    public async Task Balances_agree_with_running_balances_per_account_and_day_also_after_a_refresh()
    {
        var consent = (string)(await Post("ais/consents/create", new JsonObject { ["ais_method"] = new JsonObject { ["provider_id"] = "bt_ro" } }))["consent_id"]!;
        _sandbox.Control.ApproveConsent(consent);
        await SandboxHttp.Until(async () => (string?)(await Post("ais/consents/get", new JsonObject { ["consent_id"] = consent }))["status"] == "active");

        Assert.True(await AssertOneStory(consent) >= 10, "the story should be told over many days with transactions, on both accounts");
        var latest = (await Post("ais/accounts/list", new JsonObject { ["consent_id"] = consent }))["accounts"]!.AsArray();
        var history = await All("ais/balances/list", "balances", consent, b => b.AsObject());
        foreach (var account in latest)
            foreach (var balance in account!["balances"]!.AsArray())
                Assert.Equal(Money(balance!["amount"]), Money(history.First(h => (string)h["account_id"]! == (string)account["id"]! && (string)h["type"]! == (string)balance["type"]!)["amount"]));

        var job = (string)(await Post("ais/jobs/create", new JsonObject { ["consent_id"] = consent }))["job_id"]!;
        await SandboxHttp.Until(async () => (string?)(await Post("ais/jobs/get", new JsonObject { ["consent_id"] = consent, ["job_id"] = job }))["status"] == "job_completed");
        await AssertOneStory(consent);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _sandbox.DisposeAsync();
    }
}
