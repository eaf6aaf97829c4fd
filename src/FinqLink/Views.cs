using System;
using System.Globalization;
using System.Management.Automation;

namespace FinqLink.PowerShell
{
    /// <summary>
    /// What FinqLink.Format.ps1xml's scripts call to show values. Format scripts cannot name Core's types (they load into
    /// a private AssemblyLoadContext), so this class takes plain values and calls Core in its bodies.
    /// </summary>
    public static class Views
    {
        /// <summary>An amount with its currency's minor digits from Core's table, in invariant digits, never rounded; null for none.</summary>
        public static string? Amount(object? amount, string? currency)
        {
            if (amount is PSObject wrapped) amount = wrapped.BaseObject;
            switch (amount)
            {
                case null: return null;
                case decimal value: return Money.Display(value, currency);
                case var _ when Money.TryWhole(amount, out var whole): return Money.Display(whole, currency);
                // A double or text is shown as it is rather than converted, which could change it.
                default: return Convert.ToString(amount, CultureInfo.InvariantCulture);
            }
        }
    }
}
