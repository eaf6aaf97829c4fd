using System;
using System.Management.Automation;
using FinqLink.Models;
using FinqLink.PowerShell.Infrastructure;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>Lists the providers (banks) FinqLink supports, or gets one, with their payment and AIS methods on request.</summary>
    [Cmdlet(VerbsCommon.Get, "FinqProvider")]
    [OutputType(typeof(Provider))]
    public sealed class GetFinqProviderCommand : FinqCmdlet
    {
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[]? ProviderId { get; set; }

        [Parameter] public SwitchParameter IncludePaymentMethods { get; set; }
        [Parameter] public SwitchParameter IncludeValidationSchema { get; set; }
        [Parameter] public SwitchParameter IncludeAisMethods { get; set; }

        [Parameter]
        [ValidateSet("retail", "corporate")]
        public string[]? AccountOwnerType { get; set; }

        [Parameter] [ValidateNotNullOrEmpty] public string? InterfaceType { get; set; }

        [Parameter]
        [ValidateSet("sandbox", "stage", "prod")]
        public string? InterfaceEnvironment { get; set; }

        protected override void ProcessRecord()
        {
            if (ProviderId == null)
            {
                try
                {
                    foreach (var provider in Send<ProviderList>(Requests.ListProviders(Options())).Providers) WriteObject(provider);
                }
                catch (Exception e) when (!(e is PipelineStoppedException)) { WriteItemError(e, null); }
                return;
            }
            foreach (var id in ProviderId)
            {
                try
                {
                    var answer = Send<ProviderAnswer>(Requests.GetProvider(id, Options()));
                    if (answer.Provider != null) WriteObject(answer.Provider);
                }
                catch (Exception e) when (!(e is PipelineStoppedException)) { WriteItemError(e, id); }
            }
        }

        private ProviderOptions Options() => new ProviderOptions
        {
            IncludePaymentMethods = IncludePaymentMethods, IncludeValidationSchema = IncludeValidationSchema, IncludeAisMethods = IncludeAisMethods,
            AccountOwnerType = AccountOwnerType, InterfaceType = InterfaceType, InterfaceEnvironment = InterfaceEnvironment,
        };
    }
}
