using System;
using System.Collections.Generic;
using System.Text.Json;
using FinqLink.Sandbox.Infrastructure;
using FinqLink.Sandbox.Pay;

namespace FinqLink.Sandbox.Data;

public sealed record Account(string Id, string Iban, string Currency, string Name, string Nickname, string AccountType, string AccountSubType);

public sealed record Balance(long Key, string Id, string AccountId, string Type, decimal Amount, string Currency, DateTimeOffset ReferenceTime);

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
    private static readonly string[] BalanceTypes = { "available", "closing_booked" };
    private const int BalanceDays = 30;

    private readonly Consent _consent;

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

    /// <summary>The balance history, newest first; each balance's key is its position.</summary>
    public IEnumerable<Balance> Balances()
    {
        long key = 0;
        for (var day = 0; day < BalanceDays; day++)
            foreach (var account in Accounts)
                foreach (var type in BalanceTypes)
                {
                    var amount = 1000m + (DataGenerator.Mix(_consent.DataSeed ^ 0xBA1, key / 2) % 900_000) / 100m;
                    yield return new Balance(key, DataGenerator.Uuid(_consent.DataSeed, key, 0xBA1), account.Id, type,
                        account.Currency == "EUR" ? Math.Round(amount / 5, 2) : amount, account.Currency, Anchor.AddDays(-day));
                    key++;
                }
    }

    public TransactionView Transaction(long index)
    {
        var (r, account, cents) = Movement(index);
        var credit = cents > 0;
        var booking = BookingTime(index);
        var counterparty = credit ? Payers[(int)((r >> 40) % (ulong)Payers.Length)] : Merchants[(int)((r >> 40) % (ulong)Merchants.Length)];
        return new TransactionView(index, DataGenerator.Uuid(_consent.DataSeed, index, 0x7A), Accounts[account], Math.Abs(cents) / 100m,
            credit ? "credit" : "debit", index < 3 ? "pending" : "booked", booking, booking.AddMinutes(2), counterparty,
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
