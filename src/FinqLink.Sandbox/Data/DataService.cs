using System;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using FinqLink.Sandbox.Api;
using FinqLink.Sandbox.Infrastructure;

namespace FinqLink.Sandbox.Data;

/// <summary>ais/accounts/list, ais/balances/list and ais/transactions/list over a consent's generated data.</summary>
public sealed class DataService
{
    private readonly ConsentService _consents;

    public DataService(ConsentService consents) => _consents = consents;

    public JsonObject Accounts(ApiCall call)
    {
        var consent = _consents.FindActive(call);
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
        var consent = _consents.FindActive(call);
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

    public IJsonBody Transactions(ApiCall call)
    {
        var consent = _consents.FindActive(call);
        if (!consent.HasTransactions)
            throw new ApiException(400, "bad_request", "consent_id: the consent's scope does not include transactions");
        var filter = TransactionFilter.Parse(call.Body);
        var page = PageRequest.From(call.Body);
        var data = new AccountData(consent);
        return new TransactionPage(call, consent.ConsentId, data, filter, page);
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

    private sealed class TransactionPage : IJsonBody
    {
        private readonly ApiCall _call;
        private readonly string _consentId;
        private readonly AccountData _data;
        private readonly TransactionFilter _filter;
        private readonly PageRequest _page;

        public TransactionPage(ApiCall call, string consentId, AccountData data, TransactionFilter filter, PageRequest page)
        {
            _call = call;
            _consentId = consentId;
            _data = data;
            _filter = filter;
            _page = page;
        }

        public void Write(Utf8JsonWriter w)
        {
            var (first, end) = _filter.IndexRange(_data);
            if (_page.After is { } after) first = Math.Max(first, after + 1);
            w.WriteStartObject();
            w.WriteString("request_id", _call.RequestId);
            w.WriteString("api_client_app", _call.Client.AppName);
            w.WriteString("client_id", _call.Client.ClientId);
            w.WriteString("consent_id", _consentId);
            w.WriteStartArray("transactions");
            var count = 0;
            long last = 0;
            var more = false;
            for (var i = first; i < end; i++)
            {
                var t = _data.Transaction(i);
                if (!_filter.Matches(t)) continue;
                if (count == _page.Limit) { more = true; break; }
                t.Write(w);
                count++;
                last = i;
            }
            w.WriteEndArray();
            w.WriteStartObject("pagination");
            w.WriteNumber("count", count);
            w.WriteBoolean("more?", more);
            if (more) w.WriteString("after", Keyset.Encode(last)); else w.WriteNull("after");
            w.WriteEndObject();
            w.WriteEndObject();
        }
    }
}

/// <summary>
/// Transaction filter keys: account_id, currency, status, credit_debit_indicator, amount_min, amount_max,
/// booking_date_from, booking_date_to, updated_from, updated_to.
/// </summary>
public sealed record TransactionFilter(
    string? AccountId, string? Currency, string? Status, string? CreditDebit, decimal? AmountMin, decimal? AmountMax,
    DateTimeOffset? BookingFrom, DateTimeOffset? BookingTo, DateTimeOffset? UpdatedFrom, DateTimeOffset? UpdatedTo)
{
    public static TransactionFilter Parse(JsonObject body)
    {
        var filter = Fields.Object(body, "filter", "filter") ?? new JsonObject();
        var cdi = Fields.String(filter, "credit_debit_indicator", "filter.credit_debit_indicator", 16);
        if (cdi is not null and not ("credit" or "debit")) throw ApiException.Validation("filter.credit_debit_indicator", "must be credit or debit");
        var status = Fields.String(filter, "status", "filter.status", 16);
        if (status is not null and not ("booked" or "pending")) throw ApiException.Validation("filter.status", "must be booked or pending");
        var min = Amount(filter, "amount_min");
        var max = Amount(filter, "amount_max");
        if (min > max) throw ApiException.Validation("filter.amount_min", "must not be greater than filter.amount_max");
        return new TransactionFilter(
            Fields.String(filter, "account_id", "filter.account_id", 64), Fields.String(filter, "currency", "filter.currency", 3), status, cdi, min, max,
            Fields.Timestamp(filter, "booking_date_from", "filter.booking_date_from"), Fields.Timestamp(filter, "booking_date_to", "filter.booking_date_to"),
            Fields.Timestamp(filter, "updated_from", "filter.updated_from"), Fields.Timestamp(filter, "updated_to", "filter.updated_to"));
    }

    /// <summary>The index range the date filters allow: booking time falls as the index grows.</summary>
    public (long First, long End) IndexRange(AccountData data)
    {
        long first = data.FirstIndex, end = data.EndIndex;
        var to = Min(BookingTo, UpdatedTo?.AddMinutes(-2));
        var from = Max(BookingFrom, UpdatedFrom?.AddMinutes(-2));
        var spacing = AccountData.TransactionSpacing.Ticks;
        if (to is { } t) first = Math.Max(first, Ceiling((data.Anchor - t).Ticks, spacing));
        if (from is { } f) end = Math.Min(end, Floor((data.Anchor - f).Ticks, spacing) + 1);
        return (first, end);
    }

    public bool Matches(in TransactionView t) =>
        (AccountId is null || t.Account.Id == AccountId) && (Currency is null || t.Account.Currency == Currency)
        && (Status is null || t.Status == Status) && (CreditDebit is null || t.CreditDebit == CreditDebit)
        && (AmountMin is null || t.Amount >= AmountMin) && (AmountMax is null || t.Amount <= AmountMax);

    private static decimal? Amount(JsonObject filter, string name)
    {
        if (filter[name] is null) return null;
        var text = Fields.Amount(filter, name, "filter." + name);
        return decimal.Parse(text, CultureInfo.InvariantCulture);
    }

    private static long Ceiling(long a, long b) => a >= 0 ? (a + b - 1) / b : -(-a / b);
    private static long Floor(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);
    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;
    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
