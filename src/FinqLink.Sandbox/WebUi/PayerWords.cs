using System;
using FinqLink.Sandbox.Data;
using FinqLink.Sandbox.Infrastructure;
using FinqLink.Sandbox.Pay;

namespace FinqLink.Sandbox.WebUi;

/// <summary>What a status means to the person on the page, in their words rather than the API's.</summary>
public static class PayerWords
{
    public static string Payment(string status, bool expired) => expired ? "This payment link has expired." : status switch
    {
        LinkStatus.Created or LinkStatus.Started => "Waiting for you to choose your bank and approve the payment.",
        LinkStatus.Completed => "Paid. Thank you!",
        LinkStatus.FundsReceived => "Paid. The money has reached the payee.",
        LinkStatus.FundsRejected => "The payee's bank sent the money back.",
        LinkStatus.Failed => "The payment did not go through.",
        LinkStatus.Revoked => "This payment request was withdrawn.",
        _ => "Your bank is processing the payment.",
    };

    public static string Consent(string status, DateTimeOffset? until) => status switch
    {
        ConsentStatus.Created or ConsentStatus.Started => "Waiting for you to choose your bank and agree.",
        ConsentStatus.Active => until is { } end ? $"Access granted until {Json.Date(end)}." : "Access granted.",
        ConsentStatus.Expired => "This request has expired.",
        ConsentStatus.Revoked => "Access was withdrawn.",
        ConsentStatus.Failed => "Access was not granted.",
        ConsentStatus.Suspended => "Your bank has suspended this access.",
        _ => "Your bank is processing your answer.",
    };

    /// <summary>"accounts, balances and transactions".</summary>
    public static string Scope(string[] scope) => scope.Length < 2 ? string.Join("", scope) : string.Join(", ", scope[..^1]) + " and " + scope[^1];
}
