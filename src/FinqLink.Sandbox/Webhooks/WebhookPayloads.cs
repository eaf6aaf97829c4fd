using System.Text.Json.Nodes;
using FinqLink.Sandbox.Data;
using FinqLink.Sandbox.Pay;

namespace FinqLink.Sandbox.Webhooks;

/// <summary>The documented webhook bodies, one per type; status changes and the control API's trigger both build them here.</summary>
public static class WebhookPayloads
{
    public const string LinkStatusUpdate = "link_status_update", ConsentStatusUpdate = "consent_status_update", JobStatusUpdate = "job_status_update";
    public static readonly string[] Types = { LinkStatusUpdate, ConsentStatusUpdate, JobStatusUpdate };

    public static JsonObject Link(PaymentLink link, string status) => new()
    {
        ["type"] = LinkStatusUpdate, ["link_id"] = link.LinkId, ["web_id"] = link.WebId, ["status"] = status,
    };

    public static JsonObject Consent(Consent consent, string status) => new()
    {
        ["type"] = ConsentStatusUpdate, ["consent_id"] = consent.ConsentId, ["web_id"] = consent.WebId, ["status"] = status,
    };

    public static JsonObject Job(RefreshJob job, string status) => new()
    {
        ["type"] = JobStatusUpdate, ["consent_id"] = job.Consent.ConsentId, ["job_id"] = job.JobId, ["status"] = status,
    };
}
