using System;
using System.Collections.Generic;
using System.Text.Json;
using FinqLink.Sandbox.Infrastructure;
using FinqLink.Sandbox.Pay;

namespace FinqLink.Sandbox.Data;

public sealed record Account(string Id, string Iban, string Currency, string Name, string Nickname, string AccountType, string AccountSubType);


/// <summary>
/// The accounts, balance history and transactions behind one consent, computed from its seed. Transaction
/// index 0 is the newest at the data anchor; refresh jobs add newer ones at negative indexes, so a cursor
/// taken before an insert keeps walking the same sequence.
/// </summary>
public sealed class AccountData
{
    public static readonly TimeSpan TransactionSpacing = TimeSpan.FromMinutes(7);
    private static readonly string[] Merchants = { "Mega Image", "Kaufland", "Enel Energie", "Orange Romania", "Uber", "eMAG", "OMV Petrom", "Digi", "Dedeman" };
    private static readonly string[] Payers = { "ACME SRL", "Ion Popescu", "Fisc ANAF", "Maria Ionescu" };

    private readonly Consent _consent;

    public ulong Seed => _consent.DataSeed;

    public AccountData(Consent consent)
    {
        _consent = consent;
        var provider = ProviderCatalog.Find(consent.SelectedMethod?.ProviderId ?? "bt_ro")!;
        Accounts = new[]
        {
            new Account(DataGenerator.Uuid(consent.DataSeed, 0, 0xACC), provider.AccountIban, "RON", "Cont curent", "Salary", "Personal current account", "CurrentAccount"),
            new Account(DataGenerator.Uuid(consent.DataSeed, 1, 0xACC), "RO49AAAA1B31007593840000", "EUR", "Cont economii EUR", "", "Personal savings account", "Savings"),
        };
        Anchor = new DateTimeOffset(consent.CreatedAt.UtcDateTime.Date, TimeSpan.Zero).AddHours(8);
    }

    public IReadOnlyList<Account> Accounts { get; }
    public DateTimeOffset Anchor { get; }

    /// <summary>Index range [first, end) of transactions, newest first.</summary>
    public long FirstIndex => -_consent.NewerTransactions;
    public long EndIndex => _consent.TransactionCount;

    public DateTimeOffset BookingTime(long index) => Anchor - TransactionSpacing * index;

    /// <summary>The newest index booked at or before <paramref name="time"/> (it may lie outside the data's range).</summary>
    public long NewestIndexAtOrBefore(DateTimeOffset time)
    {
        long a = (Anchor - time).Ticks, b = TransactionSpacing.Ticks;
        return a >= 0 ? (a + b - 1) / b : -(-a / b);
    }

    /// <summary>One past the oldest index booked at or after <paramref name="time"/>.</summary>
    public long EndIndexAtOrAfter(DateTimeOffset time)
    {
        long a = (Anchor - time).Ticks, b = TransactionSpacing.Ticks;
        return (a >= 0 ? a / b : -((-a + b - 1) / b)) + 1;
    }

    /// <summary>The balance history, newest first (see <see cref="BalanceHistory"/>).</summary>
    public IEnumerable<Balance> Balances() => new BalanceHistory(this, RunningBalances.Of(_consent, this)).Newest();

    /// <summary>The newest three transactions are pending (a refresh books them as newer ones arrive); the rest are booked.</summary>
    public bool IsPending(long index) => index < FirstIndex + 3;

    public TransactionView Transaction(long index)
    {
        var (r, account, cents) = Movement(index);
        var credit = cents > 0;
        var booking = BookingTime(index);
        var counterparty = credit ? Payers[(int)((r >> 40) % (ulong)Payers.Length)] : Merchants[(int)((r >> 40) % (ulong)Merchants.Length)];
        return new TransactionView(index, DataGenerator.Uuid(_consent.DataSeed, index, 0x7A), Accounts[account], Math.Abs(cents) / 100m,
            credit ? "credit" : "debit", IsPending(index) ? "pending" : "booked", booking, booking.AddMinutes(2), counterparty,
            RunningBalances.Of(_consent, this).After(index) / 100m);
    }

    /// <summary>Transaction <paramref name="index"/>'s random bits, account (0 or 1) and signed amount in cents.</summary>
    internal (ulong Bits, int Account, long Cents) Movement(long index)
    {
        var r = DataGenerator.Mix(_consent.DataSeed, index);
        var credit = (r >> 8) % 10 < 3;
        var cents = credit ? 10_000 + (long)((r >> 16) % 900_000) : 100 + (long)((r >> 16) % 50_000);
        return (r, r % 5 == 0 ? 1 : 0, credit ? cents : -cents);
    }
}

public readonly record struct TransactionView(
    long Index, string Id, Account Account, decimal Amount, string CreditDebit, string Status,
    DateTimeOffset BookingTime, DateTimeOffset UpdatedAt, string Counterparty, decimal BalanceAfter)
{
    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("id", Id);
        w.WriteString("account_id", Account.Id);
        w.WriteString("amount", Json.Money(Amount));
        w.WriteString("currency", Account.Currency);
        w.WriteString("credit_debit_indicator", CreditDebit);
        w.WriteString("status", Status);
        w.WriteString("booking_date_time", Json.Time(BookingTime));
        w.WriteString("value_date", Json.Date(BookingTime));
        w.WriteString("updated_at", Json.Time(UpdatedAt));
        w.WriteString("counterparty_name", Counterparty);
        w.WriteString("remittance_information", CreditDebit == "credit" ? "Incasare " + Counterparty : "Plata " + Counterparty);
        w.WriteString("info", CreditDebit == "credit" ? "Transfer received" : "Card payment");
        w.WriteString("balance", Json.Money(BalanceAfter));
        w.WriteString("keyset", Keyset.Encode(Index));
        w.WriteEndObject();
    }
}
