using System;
using System.Collections.Generic;

namespace FinqLink.Sandbox.Data;

public sealed record Balance(long Key, string Id, string AccountId, string Type, decimal Amount, string Currency, DateTimeOffset ReferenceTime);

/// <summary>
/// The balances balances/list and accounts/list show, taken from the same running balances as the transactions' own
/// <c>balance</c>, so the two tell one story. For each account and UTC day D:
/// <c>closing_booked</c> is the balance after the account's newest booked transaction booked on or before D, and
/// <c>available</c> the balance after its newest transaction of any status (pending ones included); with no
/// transaction yet, both are the opening balance. Days run back 30 from the day of the newest transaction, newest
/// first; a balance's key depends only on its day, account and type, so keys and ids stay put when a refresh adds
/// transactions (the newest day's amounts then change, as a bank's would).
/// </summary>
public sealed class BalanceHistory(AccountData data, RunningBalances running)
{
    public const int Days = 30;
    private static readonly string[] Types = { "available", "closing_booked" };

    public IEnumerable<Balance> Newest()
    {
        var newest = data.BookingTime(data.FirstIndex);
        var anchorDay = data.Anchor.UtcDateTime.Date;
        for (var day = newest.UtcDateTime.Date; day > newest.UtcDateTime.Date.AddDays(-Days); day = day.AddDays(-1))
        {
            var endOfDay = new DateTimeOffset(day.AddDays(1), TimeSpan.Zero);
            var asOf = endOfDay.AddSeconds(-1) < newest ? endOfDay.AddSeconds(-1) : newest;
            var firstOfDay = Math.Max(data.FirstIndex, data.NewestIndexAtOrBefore(endOfDay.AddTicks(-1)));
            for (var account = 0; account < data.Accounts.Count; account++)
                for (var type = 0; type < Types.Length; type++)
                {
                    var key = ((long)(anchorDay - day).TotalDays * data.Accounts.Count + account) * Types.Length + type;
                    var cents = BalanceAt(firstOfDay, account, bookedOnly: Types[type] == "closing_booked");
                    yield return new Balance(key, DataGenerator.Uuid(data.Seed, key, 0xBA1), data.Accounts[account].Id, Types[type], cents / 100m,
                        data.Accounts[account].Currency, asOf);
                }
        }
    }

    private long BalanceAt(long from, int account, bool bookedOnly)
    {
        for (var index = from; index < data.EndIndex; index++)
            if (data.Movement(index).Account == account && !(bookedOnly && data.IsPending(index))) return running.After(index);
        return RunningBalances.OpeningCents;
    }
}
