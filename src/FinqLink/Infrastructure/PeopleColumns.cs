using System;
using System.Globalization;
using System.Management.Automation;
using FinqLink.Ledger;
using FinqLink.Models;

namespace FinqLink.PowerShell.Infrastructure
{
    /// <summary>
    /// Links and ledger rows as a person (and Export-Csv) reads them, in any culture: the columns a bookkeeper needs first,
    /// amounts with the currency's minor digits in invariant digits ("1250.50", JPY "100"), times in ISO 8601 UTC
    /// ("2026-12-07T09:00:00Z"). The values stay what they are: an amount is still a decimal (-gt, Measure-Object and
    /// sums work), a time still a DateTimeOffset; only their ToString() is fixed, and Export-Csv writes a value's
    /// ToString(). The shaped columns are instance members, which PowerShell finds before the object's own properties.
    /// </summary>
    public static class PeopleColumns
    {
        /// <summary>The type name a link is written with (its view's): the model's.</summary>
        public const string LinkTypeName = "FinqLink.Models.PaymentLink";
        private static readonly System.Reflection.MethodInfo Invariant = typeof(PeopleColumns).GetMethod(nameof(ToInvariantString))!;

        /// <summary>
        /// The fixed ToString() of a shaped value. With arguments (a format, a culture) it is the value's own ToString, so
        /// <c>$link.ExpiresAt.ToString('yyyy-MM-dd')</c> still works.
        /// </summary>
        public static string ToInvariantString(PSObject instance, params object[] args)
        {
            if (instance == null) throw new ArgumentNullException(nameof(instance));
            var value = (IFormattable)instance.BaseObject;
            if (args != null && args.Length > 0)
                return value.ToString(args[0] as string, args.Length > 1 ? args[1] as IFormatProvider : CultureInfo.CurrentCulture);
            return value is DateTimeOffset at ? Timestamp.Format(at) : value.ToString(null, CultureInfo.InvariantCulture);
        }

        /// <summary>
        /// A link with only the bookkeeper's columns listed (what Export-Csv writes); its other properties are there by name
        /// (<see cref="PaymentLinkView"/>). Its type name stays FinqLink.Models.PaymentLink, for views and Get-Member.
        /// </summary>
        internal static PSObject Link(PaymentLink link)
        {
            var shaped = new PSObject(new PaymentLinkView(link));
            shaped.TypeNames.Insert(0, LinkTypeName);
            Add(shaped, "Reference", link.Reference);
            Add(shaped, "Amount", Amount(link.Amount, link.Currency));
            Add(shaped, "Currency", link.Currency);
            Add(shaped, "Status", link.Status);
            Add(shaped, "CreatedAt", Time(link.CreatedAt));
            Add(shaped, "ExpiresAt", Time(link.ExpiresAt));
            Add(shaped, "LinkId", link.LinkId);
            Add(shaped, "WebUrl", link.WebUrl);
            Add(shaped, "RemittanceInformation", link.RemittanceInformation);
            return shaped;
        }

        /// <summary>A ledger row: every column, in the order a bookkeeper reads them.</summary>
        internal static PSObject Row(LedgerRow row)
        {
            var shaped = new PSObject(row);
            Add(shaped, "Reference", row.Reference);
            Add(shaped, "Amount", Amount(row.Amount, row.Currency));
            Add(shaped, "Currency", row.Currency);
            Add(shaped, "Status", row.Status);
            Add(shaped, "StatusChangedAt", Time(row.StatusChangedAt));
            Add(shaped, "ExpiresAt", Time(row.ExpiresAt));
            Add(shaped, "LinkId", row.LinkId);
            Add(shaped, "WebUrl", row.WebUrl);
            Add(shaped, "RemittanceInformation", row.RemittanceInformation);
            Add(shaped, "Problem", row.Problem);
            return shaped;
        }

        /// <summary>The amount with at least its currency's minor digits as its scale, so that ToString writes them.</summary>
        internal static PSObject? Amount(decimal? amount, string? currency) =>
            amount is decimal value ? Fixed(decimal.Parse(Money.Display(value, currency), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)) : null;

        /// <summary>A time whose ToString() is ISO 8601 UTC in every culture (Export-Csv writes it so), still a DateTimeOffset underneath.</summary>
        internal static PSObject? Time(DateTimeOffset? at) => at is DateTimeOffset value ? Fixed(value) : null;

        private static PSObject Fixed(object value)
        {
            var wrapped = new PSObject(value);
            wrapped.Methods.Add(new PSCodeMethod("ToString", Invariant));
            return wrapped;
        }

        private static void Add(PSObject shaped, string name, object? value) => shaped.Properties.Add(new PSNoteProperty(name, value));
    }
}
