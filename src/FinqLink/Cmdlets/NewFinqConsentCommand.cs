using System;
using System.Collections;
using System.Management.Automation;
using FinqLink.Models.Data;
using FinqLink.Options;
using FinqLink.PowerShell.Infrastructure;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>
    /// Creates an AIS consent: the link where an account holder lets you read their accounts, balances and (with the
    /// full scope) transactions. One consent per pipeline row; the create is never retried when its outcome is unknown.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "FinqConsent", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(Consent))]
    public sealed class NewFinqConsentCommand : FinqCmdlet
    {
        /// <summary>accounts,balances,transactions (the default) or accounts,balances (faster refreshes, no transactions).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[]? Scope { get; set; }

        /// <summary>Days of data access after the holder authorises.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(ConsentCreateOptions.MinValidityDays, ConsentCreateOptions.MaxValidityDays)]
        [Alias("ConsentValidityDays", "consent_validity_days")]
        public int? ValidityDays { get; set; }

        /// <summary>How long the authorisation link stays open (at most 45 days).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public TimeSpan? ExpiresIn { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Bank", "provider_id")]
        [ArgumentCompleter(typeof(ProviderIdCompleter))]
        public string[]? ProviderId { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ApiValuesCompleter))]
        public string[]? AccountOwnerType { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ApiValuesCompleter))]
        public string? InterfaceEnvironment { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ApiValuesCompleter))]
        public string? FlowType { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(UxTemplateCompleter))]
        public string? UxTemplate { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? WebhookUrl { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? RedirectUrl { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("tenant_user_id")]
        public string? TrackingUserId { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("tenant_company_id")]
        public string? TrackingCompanyId { get; set; }

        /// <summary>Extra or overriding body fields, for API fields this module does not know yet.</summary>
        [Parameter]
        public IDictionary? AdditionalProperties { get; set; }

        /// <summary>The pipeline row itself, so errors point at it.</summary>
        [Parameter(ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }

        protected override void ProcessRecord()
        {
            ConsentCreateOptions request;
            try
            {
                request = new ConsentCreateOptions
                {
                    Scope = Scope, ValidityDays = ValidityDays, ExpiresIn = ExpiresIn, ProviderId = ProviderId, AccountOwnerType = AccountOwnerType,
                    InterfaceEnvironment = InterfaceEnvironment, FlowType = FlowType, UxTemplate = UxTemplate, WebhookUrl = WebhookUrl,
                    RedirectUrl = RedirectUrl, TrackingUserId = TrackingUserId, TrackingCompanyId = TrackingCompanyId,
                    AdditionalProperties = AdditionalProperties == null ? null : PSValues.ToPlainDictionary(AdditionalProperties),
                };
                if (!ShouldProcess(Services.ConsentService.Describe(request), "Create an AIS consent?", "Create consent")) return;
            }
            catch (ArgumentException e)
            {
                WriteItemError(e, InputObject);
                return;
            }
            try { WriteObject(Run((client, options, ct) => client.Consents.CreateAsync(request, options, ct))); }
            catch (Exception e) when (!(e is PipelineStoppedException)) { WriteItemError(e, null); }
        }
    }
}
