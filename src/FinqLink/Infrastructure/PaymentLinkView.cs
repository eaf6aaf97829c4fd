using System;
using System.Management.Automation;
using FinqLink.Json;
using FinqLink.Models;

namespace FinqLink.PowerShell.Infrastructure
{
    /// <summary>
    /// A payment link as the cmdlets write it (<see cref="PeopleColumns.Link"/>): the columns a person reads are notes on the
    /// object, and every property of the link is here too, [Hidden]. PowerShell lists an object's properties, for
    /// Export-Csv, ConvertTo-Csv, Select-Object * and Format-List *, without hidden ones (ExportCsvHelper.BuildPropertyNames
    /// enumerates the extended and adapted properties, and hidden members are left out), so a CSV holds only the people
    /// columns; yet a script still reads any of them by name (<c>$link.RequestId</c>, <c>Where-Object IsExpired</c>), and
    /// ConvertTo-Json and Export-Clixml (jobs, remoting) still write them all. HiddenAttribute exists since PowerShell 5.0
    /// and Windows PowerShell's Export-Csv lists properties the same way, so this holds on Windows PowerShell 5.1 too. A declared type adapter
    /// would keep the PaymentLink itself, but PowerShell 7 cannot name FinqLink.Core's types (they load in the module's
    /// own load context), and a types file must. PaymentLinkViewTests fail when a property of PaymentLink is missing here.
    /// </summary>
    public sealed class PaymentLinkView
    {
        internal PaymentLinkView(PaymentLink link) => Link = link ?? throw new ArgumentNullException(nameof(link));

        internal PaymentLink Link { get; }

        /// <summary>The link itself (a method, so ConvertTo-Json does not write the link twice).</summary>
        [Hidden] public PaymentLink AsPaymentLink() => Link;

        [Hidden] public string LinkId { get => Link.LinkId; set => Link.LinkId = value; }
        [Hidden] public string? WebId { get => Link.WebId; set => Link.WebId = value; }
        [Hidden] public string? WebUrl { get => Link.WebUrl; set => Link.WebUrl = value; }
        [Hidden] public string? Status { get => Link.Status; set => Link.Status = value; }
        [Hidden] public DateTimeOffset? CreatedAt { get => Link.CreatedAt; set => Link.CreatedAt = value; }
        [Hidden] public DateTimeOffset? ExpiresAt { get => Link.ExpiresAt; set => Link.ExpiresAt = value; }
        [Hidden] public bool? IsExpired { get => Link.IsExpired; set => Link.IsExpired = value; }
        [Hidden] public string? ApiClientApp { get => Link.ApiClientApp; set => Link.ApiClientApp = value; }
        [Hidden] public PaymentMethodInfo? PaymentMethod { get => Link.PaymentMethod; set => Link.PaymentMethod = value; }
        [Hidden] public ServiceProviderInfo? ServiceProvider { get => Link.ServiceProvider; set => Link.ServiceProvider = value; }
        [Hidden] public string? Reference { get => Link.Reference; set => Link.Reference = value; }
        [Hidden] public decimal? Amount { get => Link.Amount; set => Link.Amount = value; }
        [Hidden] public string? Currency { get => Link.Currency; set => Link.Currency = value; }
        [Hidden] public string? RemittanceInformation { get => Link.RemittanceInformation; set => Link.RemittanceInformation = value; }
        [Hidden] public bool FromJournal { get => Link.FromJournal; set => Link.FromJournal = value; }
        [Hidden] public string[]? SupersededLinkIds { get => Link.SupersededLinkIds; set => Link.SupersededLinkIds = value; }
        [Hidden] public string? RequestId { get => Link.RequestId; set => Link.RequestId = value; }
        [Hidden] public PlainObject? AdditionalProperties => Link.AdditionalProperties;

        public override string ToString() => Link.ToString();

        /// <summary>The link behind a piped object: a view's, or the object itself.</summary>
        internal static object? Unwrap(object? input) => input is PaymentLinkView view ? view.Link : input;
    }
}
