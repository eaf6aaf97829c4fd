using System;
using System.Collections.Generic;
using System.Linq;

namespace FinqLink.Ledger
{
    /// <summary>A ledger's totals for one currency. Amounts are summed as decimal, exactly.</summary>
    public sealed class LedgerTotal
    {
        internal LedgerTotal(string currency) => Currency = currency;

        public string Currency { get; }
        public long Rows { get; internal set; }
        /// <summary>Rows that have a link (the others were refused or not created: see each row's Problem).</summary>
        public long Links { get; internal set; }
        public long Paid { get; internal set; }
        public decimal AmountPaid { get; internal set; }
        public long Open { get; internal set; }
        public decimal AmountOpen { get; internal set; }
        public long Expired { get; internal set; }
        public long Failed { get; internal set; }

        public override string ToString() => $"{Currency}: {Paid} paid ({Money.Display(AmountPaid, Currency)}), {Open} open ({Money.Display(AmountOpen, Currency)})";
    }

    /// <summary>Adds ledger rows up per currency as they stream past.</summary>
    public sealed class LedgerSummary
    {
        private readonly Dictionary<string, LedgerTotal> _totals = new Dictionary<string, LedgerTotal>(StringComparer.Ordinal);
        private readonly DateTimeOffset _now;

        public LedgerSummary(DateTimeOffset now) => _now = now;

        public void Add(LedgerRow row)
        {
            var currency = row.Currency ?? "";
            if (!_totals.TryGetValue(currency, out var total)) _totals[currency] = total = new LedgerTotal(currency);
            total.Rows++;
            var standing = row.Standing(_now);
            if (standing != LedgerStanding.NoLink) total.Links++;
            var amount = row.Amount ?? 0m;
            switch (standing)
            {
                case LedgerStanding.Paid: total.Paid++; total.AmountPaid += amount; break;
                case LedgerStanding.Open: total.Open++; total.AmountOpen += amount; break;
                case LedgerStanding.Expired: total.Expired++; break;
                case LedgerStanding.Failed: total.Failed++; break;
            }
        }

        /// <summary>One total per currency, by currency code.</summary>
        public IReadOnlyList<LedgerTotal> Totals => _totals.Values.OrderBy(t => t.Currency, StringComparer.Ordinal).ToList();
    }
}
