using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using System.Text.Json.Nodes;
using FinqLink.Json;
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
                    var json = Run((client, ct) => client.PostAsync("providers/list", Body(), ReadOptions, ct));
                    if (json.TryGetProperty("providers", out var providers))
                        foreach (var p in providers.EnumerateArray()) WriteObject(p.Deserialize<Provider>(FinqJson.Options));
                }
                catch (Exception e) when (!(e is PipelineStoppedException)) { WriteItemError(e, null); }
                return;
            }
            foreach (var id in ProviderId)
            {
                try
                {
                    var body = Body();
                    body["provider_id"] = id;
                    var json = Run((client, ct) => client.PostAsync("providers/get", body, ReadOptions, ct));
                    if (json.TryGetProperty("provider", out var provider)) WriteObject(provider.Deserialize<Provider>(FinqJson.Options));
                }
                catch (Exception e) when (!(e is PipelineStoppedException)) { WriteItemError(e, id); }
            }
        }

        private JsonObject Body()
        {
            var options = new JsonObject();
            if (IncludePaymentMethods) options["show_payment_methods"] = true;
            if (IncludeValidationSchema) options["show_validation_schema"] = true;
            if (IncludeAisMethods || AccountOwnerType != null || InterfaceType != null || InterfaceEnvironment != null) options["show_ais_methods"] = true;
            var filter = new JsonObject();
            if (AccountOwnerType != null) filter["account_owner_type"] = new JsonArray(AccountOwnerType.Select(a => (JsonNode?)a).ToArray());
            if (InterfaceType != null) filter["interface_type"] = InterfaceType;
            if (InterfaceEnvironment != null) filter["interface_env"] = InterfaceEnvironment;
            if (filter.Count > 0) options["ais_methods_filter"] = filter;
            return options.Count > 0 ? new JsonObject { ["options"] = options } : new JsonObject();
        }
    }
}
