using System;
using System.Collections.Concurrent;
using System.Collections.Generic;

namespace FinqLink.Sandbox.Data;

public static class JobStatus
{
    public const string Started = "job_started", AccountsReady = "accounts_ready", BalancesReady = "balances_ready",
        TransactionsFetching = "transactions_fetching", PartiallyCompleted = "job_partially_completed", Completed = "job_completed", Failed = "job_failed";

    public static readonly string[] All = { Started, AccountsReady, BalancesReady, TransactionsFetching, PartiallyCompleted, Completed, Failed };

    public static bool IsFinal(string status) => status is Completed or PartiallyCompleted or Failed;
}

/// <summary>A data refresh job. Its status changes under a lock on the job itself.</summary>
public sealed class RefreshJob
{
    public required string JobId { get; init; }
    public required Consent Consent { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public string? CallbackUrl { get; init; }
    public string Status { get; set; } = JobStatus.Started;
    /// <summary>What the job stored, reported as jobs/get's results once it is final.</summary>
    public (int Accounts, int Balances, int NewTransactions) Stored { get; set; }
}

/// <summary>The refresh jobs by id.</summary>
public sealed class JobStore
{
    private readonly ConcurrentDictionary<string, RefreshJob> _jobs = new(StringComparer.Ordinal);

    public void Add(RefreshJob job) => _jobs[job.JobId] = job;

    public RefreshJob? Find(string jobId) => _jobs.GetValueOrDefault(jobId);
}
