using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using FinqLink.Sandbox.Api;
using FinqLink.Sandbox.Infrastructure;
using FinqLink.Sandbox.Pay;
using FinqLink.Sandbox.Webhooks;

namespace FinqLink.Sandbox.Data;

/// <summary>ais/jobs/create and ais/jobs/get: a refresh walks job_started → … → job_completed in the background.</summary>
public sealed class JobService
{
    private const int TransactionsPerRefresh = 5;
    private readonly object _gate = new();
    private readonly SandboxContext _context;
    private readonly Dictionary<string, RefreshJob> _jobs = new(StringComparer.Ordinal);
    private readonly ConsentService _consents;

    public JobService(ConsentService consents, SandboxContext context)
    {
        _consents = consents;
        _context = context;
    }

    public JsonObject Create(ApiCall call)
    {
        var consent = _consents.FindActive(call);
        var callback = CreateOptions.Url(call.Body, "callback_url", "callback_url");
        var now = _context.Time.GetUtcNow();
        _consents.MarkJobStarted(consent, now);
        var job = new RefreshJob { JobId = _context.Ids.NewUuid(), Consent = consent, CreatedAt = now, CallbackUrl = callback ?? consent.WebhookUrl };
        lock (_gate) _jobs[job.JobId] = job;
        _context.Counters.JobCreated();

        var path = new List<string> { JobStatus.AccountsReady, JobStatus.BalancesReady };
        if (consent.HasTransactions) path.Add(JobStatus.TransactionsFetching);
        path.Add(JobStatus.Completed);
        Steps.RunInBackground(path.Select(next => (Func<bool>)(() => Advance(job, next))), () => _context.Settings.JobStepDelay, _context.Stopping);

        var reply = call.Reply();
        reply["consent_id"] = consent.ConsentId;
        reply["job_id"] = job.JobId;
        reply["status"] = JobStatus.Started;
        return reply;
    }

    public JsonObject Get(ApiCall call)
    {
        var jobId = Fields.RequiredString(call.Body, "job_id", "job_id", 64);
        var consent = _consents.Find(call);
        RefreshJob? job;
        lock (_gate) job = _jobs.GetValueOrDefault(jobId);
        if (job is null || job.Consent != consent) throw ApiException.NotFound("job_not_found", $"job_id: no job {jobId} exists for this consent");
        if (ConsentStatus.IsInactive(consent.Status))
            throw new ApiException(400, "consent_not_active", $"consent_id: the consent is {consent.Status}");

        var reply = call.Reply();
        lock (_gate)
        {
            reply["job_id"] = job.JobId;
            reply["status"] = job.Status;
            reply["consent_id"] = consent.ConsentId;
            reply["created_at"] = Json.Time(job.CreatedAt);
            reply["webhook_url"] = job.CallbackUrl;
            if (consent.SelectedMethod is { } method)
            {
                reply["service_provider"] = ConsentService.ServiceProvider(method);
                reply["ais_method"] = ProviderJson.AisMethod(method);
            }
            if (JobStatus.IsFinal(job.Status))
                reply["results"] = new JsonObject
                {
                    ["accounts"] = 2,
                    ["balances"] = 4,
                    ["new_transactions"] = job.NewTransactions,
                };
        }
        return reply;
    }

    public RefreshJob? Find(string jobId)
    {
        lock (_gate) return _jobs.GetValueOrDefault(jobId);
    }

    public void Force(RefreshJob job, string status)
    {
        if (!JobStatus.All.Contains(status)) throw ApiException.Validation("status", "must be one of " + string.Join(", ", JobStatus.All));
        lock (_gate) job.Status = status;
        Notify(job, status);
    }

    private bool Advance(RefreshJob job, string next)
    {
        lock (_gate)
        {
            if (JobStatus.IsFinal(job.Status)) return false;
            job.Status = next;
            if (next == JobStatus.Completed && job.Consent.HasTransactions)
            {
                job.NewTransactions = TransactionsPerRefresh;
                _consents.AddNewerTransactions(job.Consent, TransactionsPerRefresh);
            }
        }
        Notify(job, next);
        return true;
    }

    private void Notify(RefreshJob job, string status) => _context.Webhooks.Send(job.CallbackUrl, new JsonObject
    {
        ["type"] = "job_status_update", ["consent_id"] = job.Consent.ConsentId, ["job_id"] = job.JobId, ["status"] = status,
    });
}
