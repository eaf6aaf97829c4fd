using System;
using System.Collections.Generic;

namespace FinqLink.Sandbox;

/// <summary>Knobs that tests and the control API may change while the sandbox runs.</summary>
public sealed class SandboxSettings
{
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);
    /// <summary>Minimum time between two data refresh jobs of one consent (400 cooldown_failed inside it).</summary>
    public TimeSpan JobCooldown { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>Pause between two bank-side status changes after a payer or PSU approves.</summary>
    public TimeSpan BankStepDelay { get; set; } = TimeSpan.FromMilliseconds(300);
    /// <summary>Pause between two status changes of a data refresh job.</summary>
    public TimeSpan JobStepDelay { get; set; } = TimeSpan.FromMilliseconds(300);
    /// <summary>Transactions generated for each new consent (across its accounts).</summary>
    public int TransactionsPerConsent { get; set; } = 2_000;
    /// <summary>Seed of every generated value (ids, data, fault decisions).</summary>
    public int Seed { get; set; } = 20240101;
    /// <summary>
    /// Providers whose creditor bank confirms the funds: their paid links move on from completed to funds_received.
    /// The docs name libra_ro (other providers are "work in progress"); replace the whole list to change it.
    /// </summary>
    public IReadOnlyCollection<string> FundsConfirmationProviders { get; set; } = new[] { "libra_ro" };
}
