using System;
using System.Collections.Generic;
using System.Linq;
using FinqLink.Sandbox.Api;
using FinqLink.Sandbox.Infrastructure;
using FinqLink.Sandbox.Scenarios;
using FinqLink.Sandbox.Webhooks;

namespace FinqLink.Sandbox.Data;

/// <summary>
/// A refresh job's state machine: job_started → accounts_ready → balances_ready → transactions_fetching (full scope
/// only) → job_completed, one status per <see cref="SandboxSettings.JobStepDelay"/>, each with a job_status_update
/// webhook. A completed refresh adds five newer transactions to the consent. The consent's scenario scripts
/// job_partially_completed or job_failed instead.
/// </summary>
public sealed class JobLifecycle(JobStore store, ConsentLifecycle consents, BankSteps bank, WebhookSender webhooks, SandboxSettings settings, IdGenerator ids, Counters counters, TimeProvider time)
{
    public const int TransactionsPerRefresh = 5;

    /// <summary>Starts a refresh of an active consent, unless its cooldown has not elapsed (400 cooldown_failed).</summary>
    public RefreshJob Start(Consent consent, string? callbackUrl)
    {
        var now = time.GetUtcNow();
        consents.MarkJobStarted(consent, now);
        var job = new RefreshJob { JobId = ids.NewUuid(), Consent = consent, CreatedAt = now, CallbackUrl = callbackUrl ?? consent.WebhookUrl };
        store.Add(job);
        counters.JobCreated();

        string? scenario;
        lock (consent) scenario = consent.Scenario;
        var path = Path(consent.HasTransactions, scenario);
        bank.Run(path.Select((next, i) => (Func<bool>)(() => Advance(job, i == 0 ? JobStatus.Started : path[i - 1], next))), () => settings.JobStepDelay);
        return job;
    }

    /// <summary>Sets a status directly (control API); a job under way then stops.</summary>
    public void Force(RefreshJob job, string status)
    {
        if (!JobStatus.All.Contains(status)) throw ApiException.Validation("status", "must be one of " + string.Join(", ", JobStatus.All));
        string previous;
        lock (job)
        {
            previous = job.Status;
            job.Status = status;
            job.Stored = Stored(status, job.Consent.HasTransactions, newTransactions: 0);
        }
        Notify(job, previous, status);
    }

    private static List<string> Path(bool transactionsInScope, string? scenario)
    {
        if (scenario == Scenario.JobFailed) return new List<string> { JobStatus.Failed };
        var path = new List<string> { JobStatus.AccountsReady };
        // A partial job stores accounts and, with transactions in scope, balances; the last kind of data fails.
        if (scenario == Scenario.JobPartiallyCompleted)
        {
            if (transactionsInScope) path.AddRange(new[] { JobStatus.BalancesReady, JobStatus.TransactionsFetching });
            path.Add(JobStatus.PartiallyCompleted);
            return path;
        }
        path.Add(JobStatus.BalancesReady);
        if (transactionsInScope) path.Add(JobStatus.TransactionsFetching);
        path.Add(JobStatus.Completed);
        return path;
    }

    private bool Advance(RefreshJob job, string expected, string next)
    {
        lock (job)
        {
            if (job.Status != expected) return false;
            job.Status = next;
            job.Stored = Stored(next, job.Consent.HasTransactions, job.Consent.HasTransactions ? TransactionsPerRefresh : 0);
        }
        if (next == JobStatus.Completed && job.Consent.HasTransactions) consents.AddNewerTransactions(job.Consent, TransactionsPerRefresh);
        Notify(job, expected, next);
        return true;
    }

    /// <summary>What a job ending in <paramref name="status"/> stored: two accounts with two balance types each, and the new transactions.</summary>
    private static (int, int, int) Stored(string status, bool transactionsInScope, int newTransactions) => status switch
    {
        JobStatus.Completed => (2, 4, newTransactions),
        JobStatus.PartiallyCompleted => (2, transactionsInScope ? 4 : 0, 0),
        _ => (0, 0, 0),
    };

    private void Notify(RefreshJob job, string previous, string status) => webhooks.Send(job.CallbackUrl, WebhookPayloads.Job(job, status), previous);
}
