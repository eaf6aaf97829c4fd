using System.Collections;
using System.Globalization;
using System.Management.Automation;
using FinqLink.PowerShell.Infrastructure;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>New-FinqLink's parameters: a pipeline row's columns bind by name (or one of their aliases).</summary>
    public sealed partial class NewFinqLinkCommand
    {
        /// <summary>The amount as the row says it: text in the API's format (1250.50), or in -AmountCulture's; or a number.</summary>
        /// <remarks>
        /// Amount and Currency are needed by every row, but not Mandatory: PowerShell refuses a piped row that lacks a
        /// mandatory column itself, with no row name and uncounted by -SummaryVariable; the run refuses it as its own.
        /// </remarks>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Sum", "Total", "InvoiceAmount", "AmountDue")]
        [AllowNull, AllowEmptyString]
        public object? Amount { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Ccy", "CurrencyCode")]
        [AllowEmptyString]
        [ArgumentCompleter(typeof(CurrencyCompleter))]
        public string Currency { get; set; } = "";

        /// <summary>The number format of text amounts (for example ro-RO: "1.250,50"); by default the API's ("1250.50").</summary>
        [Parameter]
        public CultureInfo? AmountCulture { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Beneficiary", "BeneficiaryName", "Payee", "PayeeName")]
        public string? CreditorName { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Iban", "BeneficiaryIban", "PayeeIban")]
        public string? CreditorIban { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("PayerIban")]
        public string? DebtorIban { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("PsuId")]
        public string? DebtorPsuId { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Description", "Details", "Memo", "Remittance")]
        public string? RemittanceInformation { get; set; }

        /// <summary>Your own id for the row (an invoice number): carried on the output, and the journal's key (trimmed, any case).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("InvoiceNumber", "InvoiceId", "Invoice", "ExternalId")]
        public string? Reference { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Bank", "Provider")]
        [ArgumentCompleter(typeof(ProviderIdCompleter))]
        public string[]? ProviderId { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ApiValuesCompleter))]
        public string[]? RemitterType { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ApiValuesCompleter))]
        public string[]? PaymentScheme { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ApiValuesCompleter))]
        public string[]? PaymentEnvironment { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ApiValuesCompleter))]
        public string? FlowType { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(UxTemplateCompleter))]
        [Alias("Template")]
        public string? UxTemplate { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? WebhookUrl { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? RedirectUrl { get; set; }

        /// <summary>How long the link stays usable (at most 45 days): a TimeSpan, 7.00:00:00 or P7D.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public object? ExpiresIn { get; set; }

        /// <summary>Lets the payer change the pre-set payment method: $true/$false, or true/false in a CSV.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public object? UserEditable { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? TrackingUserId { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? TrackingCompanyId { get; set; }

        /// <summary>Extra or overriding body fields, for API fields this module has no parameter for.</summary>
        [Parameter]
        public IDictionary? AdditionalProperties { get; set; }

        /// <summary>The pipeline row itself, so errors and -PassThru can point at it.</summary>
        [Parameter(ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }

        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 16;

        /// <summary>Records every row's outcome; re-running with the same file creates only what is missing.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? JournalPath { get; set; }

        /// <summary>Creates a new link for a row whose journaled link was made for different contents (or is ambiguous).</summary>
        [Parameter]
        public SwitchParameter Supersede { get; set; }

        /// <summary>Writes the input row with the link's LinkId, WebUrl, Status and ExpiresAt added, instead of the link.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Stores the run's summary (rows, created, failed by reason, throttling, elapsed) in this variable.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SummaryVariable { get; set; }
    }
}
