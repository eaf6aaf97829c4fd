namespace FinqLink.Sandbox.Data;

/// <summary>
/// Each account's balance after each transaction of a consent. It is anchored at the oldest transaction, so the
/// newer ones a refresh adds (negative indexes) never change the balances already shown. Kept as one long per
/// transaction (8 MB for a million) and rebuilt only when a refresh extends the range.
/// </summary>
public sealed class RunningBalances
{
    /// <summary>Every account's balance before its oldest transaction: 5,000.00.</summary>
    public const long OpeningCents = 500_000;
    private readonly long _first;
    private readonly long[] _cents;

    private RunningBalances(long first, long[] cents)
    {
        _first = first;
        _cents = cents;
    }

    public static RunningBalances Of(Consent consent, AccountData data)
    {
        if (consent.RunningBalances is { } cached && cached._first == data.FirstIndex) return cached;
        var cents = new long[data.EndIndex - data.FirstIndex];
        var balances = new[] { OpeningCents, OpeningCents };
        for (var index = data.EndIndex - 1; index >= data.FirstIndex; index--)
        {
            var (_, account, amount) = data.Movement(index);
            cents[index - data.FirstIndex] = balances[account] += amount;
        }
        return consent.RunningBalances = new RunningBalances(data.FirstIndex, cents);
    }

    /// <summary>The balance, in cents, of the transaction's account right after transaction <paramref name="index"/>.</summary>
    public long After(long index) => _cents[index - _first];
}
