using System.Text.Json.Nodes;
using FinqLink.Sandbox.Api;
using FinqLink.Sandbox.Infrastructure;
using FinqLink.Sandbox.Pay;

namespace FinqLink.Sandbox.Data;

/// <summary>ais/jobs/create and ais/jobs/get.</summary>
public sealed class JobHandlers(JobStore store, JobLifecycle lifecycle, ConsentLookup consents)
{
    public JsonObject Create(ApiCall call)
    {
        var consent = consents.FindActive(call);
        var job = lifecycle.Start(consent, CreateOptions.Url(call.Body, "callback_url", "callback_url"));
        var reply = call.Reply();
        reply["consent_id"] = consent.ConsentId;
        reply["job_id"] = job.JobId;
        reply["status"] = JobStatus.Started;
        return reply;
    }

    public JsonObject Get(ApiCall call)
    {
        var jobId = Fields.RequiredString(call.Body, "job_id", "job_id", 64);
        var consent = consents.Find(call);
        var job = store.Find(jobId);
        if (job is null || job.Consent != consent) throw ApiException.NotFound("job_not_found", $"job_id: no job {jobId} exists for this consent");
        lock (consent)
            if (ConsentStatus.IsInactive(consent.Status))
                throw new ApiException(400, "consent_not_active", $"consent_id: the consent is {consent.Status}");

        var reply = call.Reply();
        lock (job)
        {
            reply["job_id"] = job.JobId;
            reply["status"] = job.Status;
            reply["consent_id"] = consent.ConsentId;
            reply["created_at"] = Json.Time(job.CreatedAt);
            reply["webhook_url"] = job.CallbackUrl;
            if (consent.SelectedMethod is { } method)
            {
                reply["service_provider"] = ProviderJson.ServiceProvider(method.ProviderId);
                reply["ais_method"] = ProviderJson.AisMethod(method);
            }
            if (JobStatus.IsFinal(job.Status))
                reply["results"] = new JsonObject
                {
                    ["accounts"] = job.Stored.Accounts, ["balances"] = job.Stored.Balances, ["new_transactions"] = job.Stored.NewTransactions,
                };
        }
        return reply;
    }
}
