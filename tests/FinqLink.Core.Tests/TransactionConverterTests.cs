using System.Linq;
using System.Text.Json;
using FinqLink.Json;
using FinqLink.Models.Data;
using Xunit;

namespace FinqLink.Core.Tests;

/// <summary>
/// The hand-written transaction reader must read every answer exactly as the serializer's reflection metadata reads it:
/// each property, the unknown fields, nulls, repeats and escapes, and fail where it fails.
/// </summary>
public sealed class TransactionConverterTests
{
    private const string Sandbox = """
        {"id":"6f1c","account_id":"a-1","amount":"1250.50","currency":"RON","credit_debit_indicator":"debit","status":"booked",
         "booking_date_time":"2024-01-15T10:20:30Z","value_date":"2024-01-15","updated_at":"2024-01-15T10:22:30+02:00",
         "counterparty_name":"Kaufland","remittance_information":"Plata Kaufland","info":"Card payment","balance":"-3.10","keyset":"k9"}
        """;

    public static TheoryData<string> Answers() => new()
    {
        Sandbox,
        "{}",
        """{"id":null,"amount":12.5,"balance":null,"booking_date_time":null,"updated_at":""}""",
        """{"amount":"1","future_field":{"nested":[1,"two",null,true]},"another":3.25,"flag":false}""",
        """{"amount":"1","id":"first","id":"second","future":1,"future":"again"}""",
        """{"\u0069d":"escaped name","amount":"2\u002e50","status":"b\u00f6oked","request_id":"r-7"}""",
        """{"amount":"3","SignedAmount":"-99","AdditionalProperties":{"x":1},"ConsentId":"c-9","Id":"other case"}""",
        """{"booking_date_time":"2024-01-15T10:20:30","updated_at":"2024-01-15 10:20:30","amount":"-0.00"}""",
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public void Reads_as_the_serializer_reads(string json)
    {
        var expected = JsonSerializer.Deserialize<Transaction>(json, FinqJson.WithoutFastReaders)!;
        var read = JsonSerializer.Deserialize<Transaction>(json, FinqJson.Options)!;
        Assert.Equal(Describe(expected), Describe(read));
    }

    [Fact]
    public void Reads_a_page_of_them_and_leaves_the_reader_after_each()
    {
        var page = $"{{\"transactions\":[{Sandbox},{{\"amount\":\"2\",\"x\":[{{}}]}},{Sandbox}],\"pagination\":{{\"more?\":true,\"after\":\"k9\"}}}}";
        var expected = JsonSerializer.Deserialize<Models.TransactionPage>(page, FinqJson.WithoutFastReaders)!;
        var read = JsonSerializer.Deserialize<Models.TransactionPage>(page, FinqJson.Options)!;
        Assert.Equal(expected.Transactions!.Select(Describe), read.Transactions!.Select(Describe));
        Assert.Equal("k9", read.Pagination!.After);
        Assert.True(read.Pagination.More);
    }

    [Theory]
    [InlineData("""{"id":5}""")]
    [InlineData("""{"amount":"twelve"}""")]
    [InlineData("""{"amount":null}""")]
    [InlineData("""{"updated_at":"soon"}""")]
    [InlineData("""[1]""")]
    [InlineData("""{"id":"x" """)]
    public void Fails_where_the_serializer_fails(string json)
    {
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<Transaction>(json, FinqJson.WithoutFastReaders));
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<Transaction>(json, FinqJson.Options));
    }

    [Fact]
    public void Writes_as_the_serializer_writes()
    {
        var transaction = JsonSerializer.Deserialize<Transaction>(Sandbox, FinqJson.Options)!;
        Assert.Equal(JsonSerializer.Serialize(transaction, FinqJson.WithoutFastReaders), JsonSerializer.Serialize(transaction, FinqJson.Options));
    }

    private static string Describe(Transaction t) => string.Join("|",
        t.TransactionId, t.AccountId, t.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture), decimal.GetBits(t.Amount)[3], t.Currency,
        t.CreditDebitIndicator, t.Status, t.BookingDateTime?.ToString("O"), t.ValueDate, t.UpdatedAt?.ToString("O"), t.CounterpartyName,
        t.RemittanceInformation, t.Info, t.BalanceAfter, t.Keyset, t.RequestId, t.ConsentId,
        t.ExtensionData == null ? "no extension data" : string.Join(",", t.ExtensionData.Select(e => e.Key + "=" + e.Value.GetRawText())));
}
