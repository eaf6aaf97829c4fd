using System;
using System.Globalization;
using System.Text.Json.Nodes;
using FinqLink.Sandbox.Api;

namespace FinqLink.Sandbox.Data;

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
        if (to is { } t) first = Math.Max(first, data.NewestIndexAtOrBefore(t));
        if (from is { } f) end = Math.Min(end, data.EndIndexAtOrAfter(f));
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

    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;
    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
