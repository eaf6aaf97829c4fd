using System;
using System.Management.Automation;
using FinqLink.Http;
using FinqLink.Models.Data;
using FinqLink.PowerShell.Infrastructure;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>
    /// Starts a data refresh for active consents: FinqLink fetches accounts, balances and (with the full scope)
    /// transactions from the bank again. A refresh inside the cooldown after the previous one is refused.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "FinqDataRefresh", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(DataRefresh))]
    public sealed class StartFinqDataRefreshCommand : FinqCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [Alias("consent_id")]
        public string[] ConsentId { get; set; } = Array.Empty<string>();

        /// <summary>Where FinqLink POSTs job_status_update webhooks (otherwise the consent's webhook URL).</summary>
        [Parameter]
        [Alias("WebhookUrl")]
        public string? CallbackUrl { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var id in ConsentId)
            {
                try
                {
                    if (!ShouldProcess(id, "Start a data refresh")) continue;
                    WriteObject(Run((client, options, ct) => client.DataRefreshes.StartAsync(id, CallbackUrl, options, ct)));
                }
                catch (FinqLinkApiException e) when (RefreshCooldown.Is(e))
                {
                    WriteError(new ErrorRecord(new InvalidOperationException(RefreshCooldown.Explain(id, e, DateTimeOffset.UtcNow), e),
                        "FinqLink.Api.cooldown_failed", ErrorCategory.LimitsExceeded, id));
                }
                catch (Exception e) when (!(e is PipelineStoppedException)) { WriteItemError(e, id); }
            }
        }
    }
}
