using System.Management.Automation;
using FinqLink.Models;

namespace FinqLink.PowerShell.Infrastructure
{
    /// <summary>
    /// Marks a link read back from the API (links/get, links/list) for views of its own: the API sends no reference,
    /// amount or currency, so its table is led by LinkId and shows what the API does send, instead of the empty columns
    /// of the table for links New-FinqLink made.
    /// </summary>
    internal static class LinksFromApi
    {
        public const string TypeName = "FinqLink.Models.PaymentLink#FromApi";

        /// <summary>The link to write, in its columns for people (<see cref="PeopleColumns"/>): marked when nothing knows what it was created for.</summary>
        public static PSObject Mark(PaymentLink link)
        {
            var shaped = PeopleColumns.Link(link);
            if (link.Reference == null && link.Amount == null) shaped.TypeNames.Insert(0, TypeName);
            return shaped;
        }
    }
}
