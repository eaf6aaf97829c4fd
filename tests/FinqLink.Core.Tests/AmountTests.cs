using System;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Bulk;
using FinqLink.Core.Tests.Fakes;
using FinqLink.Options;
using FinqLink.Validation;
using Xunit;

namespace FinqLink.Core.Tests;

/// <summary>
/// Money is never reinterpreted: every spelling below either reaches the API as exactly the expected text, or is refused
/// with exactly the expected message, before anything is sent.
/// </summary>
public sealed class AmountTests
{
    private const string ApiFormat = "is not an amount in the API's format (digits and an optional '.', such as 1250.50): ";

    public static TheoryData<object?, string, string?, string> Spellings() => new()
    {
        // value, currency, culture, the exact text sent — or "!" and the exact message
        { "12.50", "RON", null, "12.50" },
        { "1250", "RON", null, "1250.00" },
        { "0.99", "EUR", null, "0.99" },
        { "12.5", "RON", null, "12.50" },
        { " 12.50\t", "RON", null, "12.50" },
        { "1000", "JPY", null, "1000" },
        { "1.5", "BHD", null, "1.500" },
        { "1.250", "KWD", null, "1.250" },
        { "12,50", "RON", "ro-RO", "12.50" },
        { "1.250,50", "RON", "ro-RO", "1250.50" },
        { "1250,50", "RON", "ro-RO", "1250.50" },
        { "1.250.000,00", "EUR", "de-DE", "1250000.00" },
        { "1,200.00", "USD", "en-US", "1200.00" },
        { "1 250,50", "EUR", "fr-FR", "1250.50" },
        { "12.50", "USD", "en-US", "12.50" },
        { 12.5m, "RON", null, "12.50" },
        { 12, "RON", null, "12.00" },
        { 19.99, "RON", null, "19.99" },
        { 0.5f, "RON", null, "0.50" },
        { 7L, "JPY", null, "7" },
        { "12,50", "RON", null, "!single_transfer.amount: '12,50' " + ApiFormat + "',' looks like a decimal separator; write '.' (12.50), or read the file with its culture (for example ro-RO)" },
        { "1,200.00", "RON", null, "!single_transfer.amount: '1,200.00' " + ApiFormat + "',' looks like a thousands separator; remove it (1200.00), or read the file with its culture (for example en-US)" },
        { "1.200,50", "RON", null, "!single_transfer.amount: '1.200,50' " + ApiFormat + "'.' looks like a thousands separator and ',' like the decimal one; read the file with its culture (for example ro-RO or de-DE)" },
        { "1,234", "RON", null, "!single_transfer.amount: '1,234' " + ApiFormat + "',' could separate thousands or decimals; write the amount with '.' as the decimal separator and no thousands separator, or read the file with its culture" },
        { "12.500", "RON", null, "!single_transfer.amount: '12.500' has 3 decimal places and RON has 2; if '.' separates thousands here, read the file with its culture (for example ro-RO or de-DE)" },
        { "12.5", "JPY", null, "!single_transfer.amount: '12.5' has 1 decimal place and JPY has 0" },
        { "0x10", "RON", null, "!single_transfer.amount: '0x10' " + ApiFormat + "hexadecimal is not accepted" },
        { "10kb", "RON", null, "!single_transfer.amount: '10kb' " + ApiFormat + "only digits and a decimal separator are accepted (no currency symbols, codes or suffixes)" },
        { "5d", "RON", null, "!single_transfer.amount: '5d' " + ApiFormat + "only digits and a decimal separator are accepted (no currency symbols, codes or suffixes)" },
        { "1e3", "RON", null, "!single_transfer.amount: '1e3' " + ApiFormat + "exponents are not accepted; write the digits out" },
        { "1,2,3", "RON", null, "!single_transfer.amount: '1,2,3' " + ApiFormat + "write it as digits with an optional decimal part, such as 1250.50" },
        { "€12.50", "EUR", null, "!single_transfer.amount: '€12.50' " + ApiFormat + "only digits and a decimal separator are accepted (no currency symbols, codes or suffixes)" },
        { "12.50 RON", "RON", null, "!single_transfer.amount: '12.50 RON' " + ApiFormat + "spaces are not accepted inside an amount" },
        { "1 250.50", "RON", null, "!single_transfer.amount: '1 250.50' " + ApiFormat + "spaces are not accepted inside an amount" },
        { "１２", "RON", null, "!single_transfer.amount: '１２' " + ApiFormat + "only digits and a decimal separator are accepted (no currency symbols, codes or suffixes)" },
        { "-5", "RON", null, "!single_transfer.amount: '-5' " + ApiFormat + "amounts are positive" },
        { "+5", "RON", null, "!single_transfer.amount: '+5' " + ApiFormat + "write the amount without a sign" },
        { "0", "RON", null, "!single_transfer.amount: must be greater than zero (got 0)" },
        { "", "RON", null, "!single_transfer.amount: is empty" },
        { "1000000000000", "RON", null, "!single_transfer.amount: must be less than 1000000000000" },
        { "12.50", "EUR", "de-DE", "!single_transfer.amount: '12.50' is not an amount as de-DE writes one (decimal separator ',', thousands '.' in groups of three): in de-DE '.' only separates thousands, in groups of three (1.250,50)" },
        { "12,5,0", "RON", "ro-RO", "!single_transfer.amount: '12,5,0' is not an amount as ro-RO writes one (decimal separator ',', thousands '.' in groups of three): write it as digits with an optional decimal part, such as 1250,50" },
        { "1 25,50", "EUR", "fr-FR", "!single_transfer.amount: '1 25,50' is not an amount as fr-FR writes one (decimal separator ',', thousands 'space' in groups of three): in fr-FR a space only separates thousands, in groups of three (1 250,50)" },
        { "5,5", "RON", "", "!single_transfer.amount: '5,5' is not an amount as the invariant culture writes one (decimal separator '.', thousands ',' in groups of three): in the invariant culture ',' only separates thousands, in groups of three (1,250.50)" },
        { 0.1 + 0.2, "RON", null, "!single_transfer.amount: 0.30000000000000004 has more decimal places than RON's 2; give the amount as text or a [decimal] with at most 2 decimal places" },
        { 12.505m, "RON", null, "!single_transfer.amount: 12.505 has more decimal places than RON's 2; give the amount as text or a [decimal] with at most 2 decimal places" },
        { double.NaN, "RON", null, "!single_transfer.amount: NaN is not an amount" },
        { true, "RON", null, "!single_transfer.amount: a value of type Boolean is not an amount: give a number or text such as 150.00" },
        { null, "RON", null, "!single_transfer.amount: is required" },
    };

    [Theory]
    [MemberData(nameof(Spellings))]
    public async Task Each_spelling_is_sent_exactly_or_refused_with_its_rule(object? value, string currency, string? culture, string expected)
    {
        var api = new FakeFinqLinkApi();
        BulkOutcome? outcome = null;
        try
        {
            var amount = Amounts.Read(ApiFields.Amount, value, currency, culture == null ? null : CultureInfo.GetCultureInfo(culture));
            using var client = TestClients.For(api);
            using var run = new BulkLinkRun(client, new BulkRunOptions(), o => outcome = o);
            run.Open(CancellationToken.None);
            await run.AddAsync(new BulkRow(new LinkCreateOptions { Amount = amount, Currency = currency }, "R-1", value), CancellationToken.None);
            await run.CompleteAsync();
        }
        catch (FinqLinkValidationException e) when (expected.StartsWith('!'))
        {
            Assert.Equal(expected[1..], e.Message);
            Assert.Empty(api.Links);
            return;
        }
        Assert.False(expected.StartsWith('!'), $"expected the error {expected}");
        Assert.Equal(BulkOutcomeKind.Created, outcome!.Kind);
        Assert.Equal(expected, api.Links.Single().Amount);
    }

    [Fact]
    public void The_table_has_at_least_thirty_spellings() => Assert.True(Spellings().Count >= 30);

    [Theory]
    [InlineData("100", "JPY", "100")]
    [InlineData("1250.5", "RON", "1250.50")]
    [InlineData("-1250.50", "EUR", "-1250.50")]
    [InlineData("1.234", "BHD", "1.234")]
    [InlineData("2", "KWD", "2.000")]
    [InlineData("0.125", "RON", "0.125")]
    [InlineData("100.5", "JPY", "100.5")]
    [InlineData("1000000", "USD", "1000000.00")]
    [InlineData("1.50", "XXX", "1.50")]
    [InlineData("3", null, "3.00")]
    public void An_amount_is_displayed_with_its_currencys_minor_digits_and_never_rounded(string value, string? currency, string expected)
    {
        var amount = decimal.Parse(value, CultureInfo.InvariantCulture);
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal(expected, Money.Display(amount, currency));
        }
        finally { CultureInfo.CurrentCulture = saved; }
    }
}
