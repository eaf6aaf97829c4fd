using System.Globalization;

namespace FinqLink.Options
{
    /// <summary>
    /// What links/create is asked for, as the caller gives it. <see cref="Requests.RequestValidator.Link"/> checks every
    /// field and makes the request; nested names inside single_transfer are the documented best guess, and
    /// AdditionalProperties can add or override any field.
    /// </summary>
    public sealed class LinkCreateOptions : CreateOptions
    {
        /// <summary>
        /// The amount as the row says it: a number (a [decimal], an integer, or a floating-point value that the currency's
        /// minor units write exactly), or text in the API's format ("1250.50") or in <see cref="AmountCulture"/>'s.
        /// </summary>
        public object? Amount { get; set; }
        /// <summary>The number format of a text amount (ro-RO: "1.250,50"); by default the API's.</summary>
        public CultureInfo? AmountCulture { get; set; }
        public string? Currency { get; set; }
        public string? CreditorName { get; set; }
        public string? CreditorIban { get; set; }
        public string? DebtorIban { get; set; }
        public string? DebtorPsuId { get; set; }
        public string? RemittanceInformation { get; set; }
        public string[]? ProviderId { get; set; }
        public string[]? RemitterType { get; set; }
        public string[]? PaymentScheme { get; set; }
        public string[]? PaymentEnvironment { get; set; }
        public bool? UserEditable { get; set; }
    }
}
