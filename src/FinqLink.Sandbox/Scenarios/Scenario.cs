using System;
using FinqLink.Sandbox.Api;

namespace FinqLink.Sandbox.Scenarios;

/// <summary>
/// Scripted outcomes: what the bank does after a payer or PSU approves. A scenario is chosen at approval, on the web
/// page by appending <c>+scenario</c> to the bank user name or PSU ID (<c>testbt+suspended</c>), or as
/// <c>"scenario"</c> when approving through the control API. Without one, links complete (then funds_received for the
/// providers in <see cref="SandboxSettings.FundsConfirmationProviders"/>) and consents become active.
/// </summary>
public static class Scenario
{
    /// <summary>The bank refuses after the SCA step: the link or consent ends failed.</summary>
    public const string Failed = "failed";
    /// <summary>Links: after completed, the creditor bank confirms the funds (whatever the provider).</summary>
    public const string FundsReceived = "funds_received";
    /// <summary>Links: after completed, the creditor bank rejects the funds.</summary>
    public const string FundsRejected = "funds_rejected";
    /// <summary>Consents: active, then suspended by the bank one step later.</summary>
    public const string Suspended = "suspended";
    /// <summary>Consents: every refresh job stores accounts (and balances) but not the rest: job_partially_completed.</summary>
    public const string JobPartiallyCompleted = "job_partially_completed";
    /// <summary>Consents: every refresh job stores nothing: job_failed.</summary>
    public const string JobFailed = "job_failed";

    public static readonly string[] ForLinks = { Failed, FundsReceived, FundsRejected };
    public static readonly string[] ForConsents = { Failed, Suspended, JobPartiallyCompleted, JobFailed };

    /// <summary>The scenario if it is one of <paramref name="allowed"/>, else a validation error naming them.</summary>
    public static string? Check(string? scenario, string[] allowed) =>
        scenario is null || Array.IndexOf(allowed, scenario) >= 0
            ? scenario
            : throw ApiException.Validation("scenario", "must be one of " + string.Join(", ", allowed));
}
