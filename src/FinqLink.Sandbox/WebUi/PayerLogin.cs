using System;
using System.Collections.Generic;
using System.Linq;
using FinqLink.Sandbox.Pay;
using Microsoft.AspNetCore.Http;

namespace FinqLink.Sandbox.WebUi;

/// <summary>
/// What a payer or PSU typed into a bank's login. The login field (user name or customer ID) may end in
/// <c>+scenario</c>, e.g. <c>testbt+suspended</c>: the person then scripts what the bank does (see <see cref="Scenarios.Scenario"/>).
/// </summary>
public sealed record PayerLogin(bool Accepted, string? Scenario)
{
    public static PayerLogin Read(IFormCollection form, Provider provider)
    {
        var entered = provider.Credentials.ToDictionary(c => c.Field, c => ((string?)form[c.Field])?.Trim());
        string? scenario = null;
        if (entered[provider.Login.Field] is { } login && login.LastIndexOf('+') is var plus and > 0)
        {
            scenario = login[(plus + 1)..];
            entered[provider.Login.Field] = login[..plus];
        }
        return new PayerLogin(ProviderCatalog.CredentialsMatch(provider, entered), scenario);
    }
}
