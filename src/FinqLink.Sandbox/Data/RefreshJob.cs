using System;

namespace FinqLink.Sandbox.Data;

public static class JobStatus
{
    public const string Started = "job_started", AccountsReady = "accounts_ready", BalancesReady = "balances_ready",
        TransactionsFetching = "transactions_fetching", PartiallyCompleted = "job_partially_completed", Completed = "job_completed", Failed = "job_failed";

    public static readonly string[] All = { Started, AccountsReady, BalancesReady, TransactionsFetching, PartiallyCompleted, Completed, Failed };

    public static bool IsFinal(string status) => status is Completed or PartiallyCompleted or Failed;
}

public sealed class RefreshJob
{
    public required string JobId { get; init; }
    public required Consent Consent { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public string? CallbackUrl { get; init; }
    public string Status { get; set; } = JobStatus.Started;
    public int NewTransactions { get; set; }
}
