using System;
using System.Management.Automation;
using FinqLink.Models;
using FinqLink.Options;
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
        [ArgumentCompleter(typeof(ProviderIdCompleter))]
        public string[]? ProviderId { get; set; }

        [Parameter] public SwitchParameter IncludePaymentMethods { get; set; }
        [Parameter] public SwitchParameter IncludeValidationSchema { get; set; }
        [Parameter] public SwitchParameter IncludeAisMethods { get; set; }

        [Parameter]
        [ValidateSet("retail", "corporate")]
        public string[]? AccountOwnerType { get; set; }

        [Parameter][ValidateNotNullOrEmpty] public string? InterfaceType { get; set; }

        [Parameter]
        [ValidateSet("sandbox", "stage", "prod")]
        public string? InterfaceEnvironment { get; set; }

        protected override void ProcessRecord()
        {
            if (ProviderId == null)
            {
                try
                {
                    WriteObject(Run((client, options, ct) => client.Providers.ListAsync(Options(), options, ct)), enumerateCollection: true);
                }
                catch (Exception e) when (!(e is PipelineStoppedException)) { WriteItemError(e, null); }
                return;
            }
            foreach (var id in ProviderId)
            {
                try
                {
                    WriteObject(Run((client, options, ct) => client.Providers.GetAsync(id, Options(), options, ct)));
                }
                catch (Exception e) when (!(e is PipelineStoppedException)) { WriteItemError(e, id); }
            }
        }

        private ProviderListOptions Options() => new ProviderListOptions
        {
            IncludePaymentMethods = IncludePaymentMethods, IncludeValidationSchema = IncludeValidationSchema, IncludeAisMethods = IncludeAisMethods,
            AccountOwnerType = AccountOwnerType, InterfaceType = InterfaceType, InterfaceEnvironment = InterfaceEnvironment,
        };
    }
}
