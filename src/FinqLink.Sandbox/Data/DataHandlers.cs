using System;
using System.Linq;
using System.Text.Json.Nodes;
using FinqLink.Sandbox.Api;
using FinqLink.Sandbox.Infrastructure;

namespace FinqLink.Sandbox.Data;

/// <summary>ais/accounts/list, ais/balances/list and ais/transactions/list over an active consent's generated data.</summary>
public sealed class DataHandlers(ConsentLookup consents)
{
    public JsonObject Accounts(ApiCall call)
    {
        var consent = consents.FindActive(call);
        var filter = Fields.Object(call.Body, "filter", "filter") ?? new JsonObject();
        var currency = Fields.String(filter, "currency", "filter.currency", 3);
        var type = Fields.String(filter, "account_type", "filter.account_type", 128);
        var subType = Fields.String(filter, "account_sub_type", "filter.account_sub_type", 128);
        var data = new AccountData(consent);
        var latest = data.Balances().Take(data.Accounts.Count * 2).ToList();
        var reply = call.ListReply();
        reply["consent_id"] = consent.ConsentId;
        reply["accounts"] = new JsonArray(data.Accounts
            .Where(a => (currency is null || a.Currency == currency) && (type is null || a.AccountType == type) && (subType is null || a.AccountSubType == subType))
            .Select(a => (JsonNode?)new JsonObject
            {
                ["id"] = a.Id, ["iban"] = a.Iban, ["currency"] = a.Currency, ["name"] = a.Name, ["nickname"] = a.Nickname,
                ["account_type"] = a.AccountType, ["account_sub_type"] = a.AccountSubType,
                ["balances"] = new JsonArray(latest.Where(b => b.AccountId == a.Id).Select(b => (JsonNode?)BalanceJson(b, withKeyset: false)).ToArray()),
            }).ToArray());
        return reply;
    }

    public JsonObject Balances(ApiCall call)
    {
        var consent = consents.FindActive(call);
        var filter = Fields.Object(call.Body, "filter", "filter") ?? new JsonObject();
        var accountId = Fields.String(filter, "account_id", "filter.account_id", 64);
        var type = Fields.String(filter, "type", "filter.type", 64);
        var currency = Fields.String(filter, "currency", "filter.currency", 3);
        var page = PageRequest.From(call.Body);

        var matching = new AccountData(consent).Balances()
            .Where(b => page.After is null || b.Key > page.After)
            .Where(b => (accountId is null || b.AccountId == accountId) && (type is null || b.Type == type) && (currency is null || b.Currency == currency))
            .Take(page.Limit + 1).ToList();
        var more = matching.Count > page.Limit;
        var items = matching.Take(page.Limit).ToList();
        var reply = call.ListReply();
        reply["consent_id"] = consent.ConsentId;
        reply["balances"] = new JsonArray(items.Select(b => (JsonNode?)BalanceJson(b, withKeyset: true)).ToArray());
        reply["pagination"] = PageRequest.Reply(items.Count, more, more ? items[^1].Key : null);
        return reply;
    }

    public TransactionPage Transactions(ApiCall call)
    {
        var consent = consents.FindActive(call);
        if (!consent.HasTransactions) throw ApiException.BadRequest("consent_id: the consent's scope does not include transactions");
        return new TransactionPage(call, consent.ConsentId, new AccountData(consent), TransactionFilter.Parse(call.Body), PageRequest.From(call.Body));
    }

    private static JsonObject BalanceJson(Balance b, bool withKeyset)
    {
        var json = new JsonObject
        {
            ["id"] = b.Id, ["account_id"] = b.AccountId, ["type"] = b.Type, ["amount"] = Json.Money(Math.Abs(b.Amount)),
            ["currency"] = b.Currency, ["credit_debit_indicator"] = b.Amount >= 0 ? "credit" : "debit",
            ["credit_limit_included"] = false, ["reference_date"] = Json.Date(b.ReferenceTime), ["timestamp"] = Json.Time(b.ReferenceTime),
        };
        if (withKeyset) json["keyset"] = Keyset.Encode(b.Key);
        return json;
    }
}
