using System;
using System.Management.Automation;
using System.Security;
using FinqLink.PowerShell.Infrastructure;
using FinqLink.Webhooks;

namespace FinqLink.PowerShell.Cmdlets
{
    /// <summary>
    /// Verifies a received webhook's signature, then reads it as a typed event: LinkStatusUpdate, ConsentStatusUpdate or
    /// DataRefreshStatusUpdate. A webhook that fails verification is an error and is never parsed.
    /// </summary>
    [Cmdlet(VerbsData.ConvertFrom, "FinqWebhook", DefaultParameterSetName = HeadersSet)]
    [OutputType(typeof(LinkStatusUpdate), typeof(ConsentStatusUpdate), typeof(DataRefreshStatusUpdate), typeof(WebhookEvent))]
    public sealed class ConvertFromFinqWebhookCommand : WebhookCmdlet
    {
        protected override void ProcessRecord()
        {
            try
            {
                var verdict = Verify(out var body);
                if (!verdict.IsValid)
                {
                    WriteError(new ErrorRecord(new SecurityException("The webhook is not from FinqLink: " + verdict.Failure),
                        "FinqLink.WebhookInvalid", ErrorCategory.SecurityError, verdict.KeyId));
                    return;
                }
                var webhook = WebhookEvent.Parse(body);
                webhook.KeyId = verdict.KeyId;
                webhook.ReceivedAt = DateTimeOffset.UtcNow;
                WriteObject(webhook);
            }
            catch (Exception e) when (!(e is PipelineStoppedException)) { WriteItemError(e, null); }
        }
    }
}
