using System;
using System.Net.Http;
using FinqLink.Auth;
using FinqLink.Http;

namespace FinqLink.Core.Tests.Fakes;

/// <summary>Clients wired to an in-memory handler: no sandbox, no network.</summary>
internal static class TestClients
{
    public static FinqLinkClient For(HttpMessageHandler handler, IAuthenticator? authenticator = null, RetryPolicy? retry = null, TimeProvider? time = null) =>
        new(new FinqLinkClientOptions(new ApiPaths(new Uri("https://api.example")), "client-1", authenticator ?? new ClientSecretAuthenticator(Secret.FromString("secret")))
        {
            Retry = retry ?? new RetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) },
        }, handler, time ?? TimeProvider.System);
}
