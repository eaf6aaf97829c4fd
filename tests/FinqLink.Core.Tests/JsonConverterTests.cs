using System;
using System.Globalization;
using System.Text.Json;
using FinqLink.Json;
using FinqLink.Models.Data;
using Xunit;

namespace FinqLink.Core.Tests;

/// <summary>
/// The converters read the usual spellings straight from the bytes; each must give exactly what the full parse gives
/// (value, scale and offset), and hand every other spelling to it.
/// </summary>
public sealed class JsonConverterTests
{
    private static readonly DateTimeStyles Lenient = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;

    [Theory]
    [InlineData("100.50")]
    [InlineData("100.5")]
    [InlineData("0.00")]
    [InlineData("-0.00")]
    [InlineData("-0")]
    [InlineData("-12.34")]
    [InlineData("7")]
    [InlineData("007.10")]
    [InlineData("123456789012345678")]
    [InlineData("1234567890.12345678")]
    [InlineData("12345678901234567890.5")]   // more digits than the fast path takes
    [InlineData("9999999999999999999999999999")]
    [InlineData("+5.25")]
    [InlineData(".5")]
    [InlineData("5.")]
    [InlineData("1\\u002e5")]                // escaped: read as "1.5"
    public void Amounts_read_as_decimal_parse_reads_them(string spelling)
    {
        var expected = decimal.Parse(JsonSerializer.Deserialize<string>($"\"{spelling}\"")!, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var read = ReadAmount($"\"{spelling}\"");
        Assert.Equal(decimal.GetBits(expected), decimal.GetBits(read));
        Assert.Equal(expected.ToString(CultureInfo.InvariantCulture), read.ToString(CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("1e5")]
    [InlineData("1,000.00")]
    [InlineData("1.2.3")]
    [InlineData("-")]
    [InlineData("")]
    [InlineData("12a")]
    [InlineData(" 12")]
    public void Other_spellings_are_refused_with_the_text(string spelling)
    {
        var error = Assert.Throws<JsonException>(() => ReadAmount($"\"{spelling}\""));
        Assert.Contains($"'{spelling}' is not a decimal amount", error.Message);
    }

    [Theory]
    [InlineData("100", "100")]
    [InlineData("100.5", "100.50")]
    [InlineData("1.234", "1.234")]
    [InlineData("0.125", "0.125")]
    [InlineData("-3.10", "-3.10")]
    public void Amounts_are_written_with_every_digit_they_hold(string value, string written)
    {
        var amount = decimal.Parse(value, CultureInfo.InvariantCulture);
        Assert.Equal(written, Money.Format(amount));
        Assert.Equal($"\"{written}\"", JsonSerializer.Serialize(amount, FinqJson.Options));
    }

    [Fact]
    public void Numbers_and_nulls_still_read()
    {
        Assert.Equal(12.5m, ReadAmount("12.5"));
        Assert.Null(JsonSerializer.Deserialize<Transaction>("{\"balance\":null}", FinqJson.Options)!.BalanceAfter);
        Assert.Equal(-3.10m, JsonSerializer.Deserialize<Transaction>("{\"balance\":\"-3.10\"}", FinqJson.Options)!.BalanceAfter);
    }

    [Theory]
    [InlineData("2024-01-15T10:20:30Z")]
    [InlineData("2024-01-15T10:20:30z")]
    [InlineData("2024-01-15T10:20:30.1234567Z")]
    [InlineData("2024-01-15T10:20:30+02:00")]
    [InlineData("2024-01-15T01:20:30-05:30")]
    [InlineData("2024-01-15T10:20:30")]        // no offset: UTC, not this machine's local time
    [InlineData("2024-01-15T10:20:30.5")]
    [InlineData("2024-01-15T10:20")]
    [InlineData("2024-01-15")]
    [InlineData("2024-01-15 10:20:30")]        // not strict ISO: the lenient parse
    [InlineData("2024-01-15T10:20:30 +02:00")]
    [InlineData("2024-01-15T10:20:30\\u002B02:00")]
    public void Timestamps_read_as_the_lenient_parse_reads_them(string spelling)
    {
        var text = JsonSerializer.Deserialize<string>($"\"{spelling}\"")!;
        var expected = DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, Lenient);
        var read = ReadTime($"\"{spelling}\"");
        Assert.Equal(expected, read);
        Assert.Equal(TimeSpan.Zero, read!.Value.Offset);
        Assert.Equal(expected.Ticks, read.Value.Ticks);
    }

    [Fact]
    public void Empty_and_null_timestamps_are_null_and_others_are_refused()
    {
        Assert.Null(ReadTime("\"\""));
        Assert.Null(ReadTime("null"));
        var error = Assert.Throws<JsonException>(() => ReadTime("\"yesterday\""));
        Assert.Contains("'yesterday' is not an ISO-8601 timestamp", error.Message);
    }

    internal static decimal ReadAmount(string json) =>
        JsonSerializer.Deserialize<Transaction>($"{{\"amount\":{json}}}", FinqJson.Options)!.Amount;

    internal static DateTimeOffset? ReadTime(string json) =>
        JsonSerializer.Deserialize<Transaction>($"{{\"updated_at\":{json}}}", FinqJson.Options)!.UpdatedAt;
}

/// <summary>Runs alone (it changes the process's local time zone), after the parallel tests.</summary>
[CollectionDefinition(nameof(LocalTimeZoneTests), DisableParallelization = true)]
public sealed class LocalTimeZoneCollection { }

[Collection(nameof(LocalTimeZoneTests))]
public sealed class LocalTimeZoneTests
{
    [Theory]
    [InlineData("Asia/Tokyo")]
    [InlineData("America/New_York")]
    public void A_timestamp_without_an_offset_is_utc_whatever_the_local_zone(string zone)
    {
        var saved = Environment.GetEnvironmentVariable("TZ");
        try
        {
            Environment.SetEnvironmentVariable("TZ", zone);
            TimeZoneInfo.ClearCachedData();
            Assert.NotEqual(TimeSpan.Zero, TimeZoneInfo.Local.GetUtcOffset(new DateTime(2024, 7, 1)));
            Assert.Equal(new DateTimeOffset(2024, 7, 1, 12, 0, 0, TimeSpan.Zero), JsonConverterTests.ReadTime("\"2024-07-01T12:00:00\""));
            Assert.Equal(new DateTimeOffset(2024, 7, 1, 0, 0, 0, TimeSpan.Zero), JsonConverterTests.ReadTime("\"2024-07-01\""));
        }
        finally
        {
            Environment.SetEnvironmentVariable("TZ", saved);
            TimeZoneInfo.ClearCachedData();
        }
    }
}
