using System;
using System.Management.Automation;
using FinqLink.PowerShell.Infrastructure;
using FinqLink.Webhooks;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>
    /// Gets the keys FinqLink signs webhooks with (its JWKS: the current key first, then the previous one), from the
    /// session's cache or, with -Refresh, fetched again.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "FinqWebhookKey")]
    [OutputType(typeof(WebhookKey))]
    public sealed class GetFinqWebhookKeyCommand : FinqCmdlet
    {
        [Parameter]
        public SwitchParameter Refresh { get; set; }

        protected override void EndProcessing()
        {
            try
            {
                var keys = Run((client, _, ct) => client.WebhookKeys.GetAsync(Refresh, ct));
                foreach (var key in keys.Keys) WriteObject(key);
            }
            catch (Exception e) when (!(e is PipelineStoppedException)) { WriteItemError(e, null); }
        }
    }
}
