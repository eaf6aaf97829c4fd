using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using FinqLink.Auth;
using FinqLink.Core.Tests.Fakes;
using FinqLink.Http;
using FinqLink.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace FinqLink.Core.Tests.Http;

/// <summary>The one place requests are sent, without a server: which failures are retried, how long apart, and the 401 refresh.</summary>
public sealed class TransportTests
{
    private static FinqLinkApiException Api(int status) => new((HttpStatusCode)status, "code", null, null, $"{status}");
    private static readonly Exception Dropped = FinqLinkTransportException.From("api", new HttpRequestException("reset"));

    public static TheoryData<string, Exception, RequestKind, bool, bool> Decisions() => new()
    {
        // what failed, the failure, the request's kind, whether it left the machine, retried?
        { "429 on a create", Api(429), RequestKind.Create, true, true },
        { "500 on a create (it may have happened)", Api(500), RequestKind.Create, true, false },
        { "503 on a create (it may have happened)", Api(503), RequestKind.Create, true, false },
        { "a create dropped after sending", Dropped, RequestKind.Create, true, false },
        { "a create that never left", Dropped, RequestKind.Create, false, true },
        { "503 on a read", Api(503), RequestKind.Read, true, true },
        { "500 on a read", Api(500), RequestKind.Read, true, true },
        { "502 on a read", Api(502), RequestKind.Read, true, true },
        { "504 on a read", Api(504), RequestKind.Read, true, true },
        { "408 on a read", Api(408), RequestKind.Read, true, true },
        { "429 on a read", Api(429), RequestKind.Read, true, true },
        { "a read dropped after sending", Dropped, RequestKind.Read, true, true },
        { "400 on a read", Api(400), RequestKind.Read, true, false },
        { "404 on a read", Api(404), RequestKind.Read, true, false },
        { "409 on an idempotent update", Api(409), RequestKind.IdempotentUpdate, true, false },
        { "503 on an idempotent update", Api(503), RequestKind.IdempotentUpdate, true, true },
        { "a TLS failure", FinqLinkTransportException.From("api", new HttpRequestException("ssl", new System.Security.Authentication.AuthenticationException("bad certificate"))), RequestKind.Read, false, false },
    };

    [Theory]
    [MemberData(nameof(Decisions))]
    public void Each_failure_is_retried_only_when_repeating_it_is_safe(string what, Exception failure, RequestKind kind, bool sent, bool retried) =>
        Assert.True(RetryDecision.CanRetry(failure, kind, sent) == retried, what);

    [Theory]
    [InlineData(500, true, true)]
    [InlineData(503, true, true)]
    [InlineData(429, true, false)]
    [InlineData(400, true, false)]
    [InlineData(500, false, false)]
    public void A_create_that_may_have_happened_ends_as_an_unknown_outcome(int status, bool sent, bool unknown)
    {
        var final = RetryDecision.Final(Api(status), RequestKind.Create, sent, "links/create");
        Assert.Equal(unknown, final is FinqLinkOutcomeUnknownException);
        // As the transport words an API error: the resource first, and then said once in the unknown outcome.
        var worded = RetryDecision.Final(new FinqLinkApiException((HttpStatusCode)status, "code", null, null, $"links/create: {status} code: boom"), RequestKind.Create, sent, "links/create");
        if (unknown) Assert.StartsWith($"links/create: the outcome is unknown ({status} code: boom)", worded.Message, StringComparison.Ordinal);
        Assert.IsType<FinqLinkApiException>(RetryDecision.Final(Api(status), RequestKind.Read, sent, "links/get"));
        Assert.IsType<FinqLinkOutcomeUnknownException>(RetryDecision.Final(Dropped, RequestKind.Create, sent: true, "links/create"));
    }

    /// <summary>A Random that always rolls the same number, to see where in its range a delay lands.</summary>
    private sealed class FixedRoll(double roll) : Random
    {
        public override double NextDouble() => roll;
    }

    [Theory]
    [InlineData(0, 0.0, 50)]
    [InlineData(0, 0.999999, 100)]
    [InlineData(3, 0.0, 400)]
    [InlineData(3, 0.5, 600)]
    [InlineData(3, 0.999999, 800)]
    [InlineData(10, 0.0, 1500)]
    [InlineData(10, 0.999999, 3000)]
    public void Backoff_is_equal_jitter_between_half_and_all_of_the_doubled_base_capped(int attempt, double roll, int expectedMs)
    {
        var policy = new RetryPolicy(new FixedRoll(roll)) { BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(3) };
        Assert.Equal(expectedMs, policy.Delay(attempt, null).TotalMilliseconds, precision: 0);
    }

    [Fact]
    public void Retry_after_wins_over_backoff_within_the_cap_and_never_below_zero()
    {
        var policy = new RetryPolicy(new FixedRoll(0.5)) { MaxDelay = TimeSpan.FromSeconds(30) };
        Assert.Equal(TimeSpan.FromSeconds(7), policy.Delay(5, TimeSpan.FromSeconds(7)));
        Assert.Equal(TimeSpan.FromSeconds(30), policy.Delay(0, TimeSpan.FromMinutes(10)));
        Assert.Equal(TimeSpan.Zero, policy.Delay(0, TimeSpan.FromSeconds(-3)));
    }

    [Fact]
    public void Retry_after_is_read_as_seconds_and_as_an_http_date()
    {
        var now = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        using var seconds = new HttpResponseMessage((HttpStatusCode)429);
        seconds.Headers.Add("Retry-After", "3");
        Assert.Equal(TimeSpan.FromSeconds(3), RetryPolicy.ReadRetryAfter(seconds, now));
        using var date = new HttpResponseMessage((HttpStatusCode)429);
        date.Headers.Add("Retry-After", now.AddSeconds(12).ToString("R"));
        Assert.Equal(TimeSpan.FromSeconds(12), RetryPolicy.ReadRetryAfter(date, now));
        using var none = new HttpResponseMessage((HttpStatusCode)429);
        Assert.Null(RetryPolicy.ReadRetryAfter(none, now));
    }

    private static FinqLinkClient Client(ScriptedHandler handler, TimeProvider time, int maxRetries = 4, bool oauth = false) => TestClients.For(handler,
        oauth ? new OAuthAuthenticator("client-1", new Uri("https://api.example/oauth2/v1/token"), OAuthAuthenticator.DefaultScope, new ClientSecretCredential(Secret.FromString("s"))) : null,
        new RetryPolicy(new FixedRoll(0)) { MaxRetries = maxRetries, BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(30) }, time);

    /// <summary>Waits until the handler has seen <paramref name="count"/> API requests (the client runs on the thread pool).</summary>
    private static async Task Sent(ScriptedHandler handler, int count)
    {
        for (var i = 0; i < 500 && handler.ApiRequests.Count < count; i++) await Task.Delay(10);
        Assert.Equal(count, handler.ApiRequests.Count);
    }

    [Fact]
    public async Task A_read_is_retried_after_each_backoff_and_succeeds()
    {
        var handler = new ScriptedHandler().Then(HttpStatusCode.ServiceUnavailable).Then(HttpStatusCode.BadGateway);
        var time = new FakeTimeProvider();
        using var client = Client(handler, time);
        var call = client.Providers.ListAsync();
        await Sent(handler, 1);
        time.Advance(TimeSpan.FromMilliseconds(49));
        await Task.Delay(50);
        Assert.Single(handler.ApiRequests);                  // not before the first backoff (50 ms at roll 0)
        time.Advance(TimeSpan.FromMilliseconds(1));
        await Sent(handler, 2);
        time.Advance(TimeSpan.FromMilliseconds(100));        // the second backoff: 100 ms
        await Sent(handler, 3);
        Assert.Empty(await call);
    }

    [Fact]
    public async Task Retries_stop_at_the_limit_with_the_last_failure()
    {
        var handler = new ScriptedHandler { WhenScriptEnds = () => ScriptedHandler.Json(HttpStatusCode.ServiceUnavailable, """{"error":"busy","message":"busy"}""") };
        using var client = Client(handler, TimeProvider.System, maxRetries: 2);
        var failure = await Assert.ThrowsAsync<FinqLinkApiException>(() => client.Providers.ListAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failure.StatusCode);
        Assert.Equal(3, handler.ApiRequests.Count);
    }

    [Fact]
    public async Task A_create_is_sent_once_when_the_server_may_have_acted()
    {
        var handler = new ScriptedHandler().Then(HttpStatusCode.InternalServerError);
        using var client = Client(handler, TimeProvider.System);
        await Assert.ThrowsAsync<FinqLinkOutcomeUnknownException>(() => client.Links.CreateAsync(new LinkCreateOptions { Amount = 5, Currency = "RON" }));
        Assert.Single(handler.ApiRequests);
        var dropped = new ScriptedHandler().ThenDrop();
        using var second = Client(dropped, TimeProvider.System);
        await Assert.ThrowsAsync<FinqLinkOutcomeUnknownException>(() => second.Links.CreateAsync(new LinkCreateOptions { Amount = 5, Currency = "RON" }));
        Assert.Single(dropped.ApiRequests);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_429_create_waits_as_long_as_Retry_After_says_in_seconds_or_as_a_date(bool asDate)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        var handler = new ScriptedHandler()
            .Then((HttpStatusCode)429, """{"error":"rate_limited","message":"slow down"}""", r =>
            {
                if (asDate)
                {
                    r.Headers.Date = time.GetUtcNow();
                    r.Headers.Add("Retry-After", time.GetUtcNow().AddSeconds(2).ToString("R"));
                }
                else r.Headers.Add("Retry-After", "2");
            });
        handler.WhenScriptEnds = () => ScriptedHandler.Json(HttpStatusCode.OK, """{"link_id":"l-1","web_url":"https://pay.example/l-1"}""");
        using var client = Client(handler, time);
        var call = client.Links.CreateAsync(new LinkCreateOptions { Amount = 5, Currency = "RON" });
        await Sent(handler, 1);
        time.Advance(TimeSpan.FromMilliseconds(1990));
        await Task.Delay(50);
        Assert.Single(handler.ApiRequests);
        time.Advance(TimeSpan.FromMilliseconds(10));
        await Sent(handler, 2);
        Assert.Equal("l-1", (await call).LinkId);
    }

    [Fact]
    public async Task A_401_fetches_a_new_token_once_and_sends_again()
    {
        var handler = new ScriptedHandler().Then(HttpStatusCode.Unauthorized, """{"error":"invalid_token","message":"expired"}""");
        using var client = Client(handler, TimeProvider.System, oauth: true);
        await client.Providers.ListAsync();
        Assert.Equal(2, handler.TokenRequests);
        Assert.Equal(new[] { "Bearer token-1", "Bearer token-2" }, handler.ApiRequests.Select(r => r.Authorization));
    }

    [Fact]
    public async Task A_second_401_in_a_row_is_the_answer()
    {
        var handler = new ScriptedHandler { WhenScriptEnds = () => ScriptedHandler.Json(HttpStatusCode.Unauthorized, """{"error":"invalid_token","message":"no"}""") };
        using var client = Client(handler, TimeProvider.System, oauth: true);
        var failure = await Assert.ThrowsAsync<FinqLinkApiException>(() => client.Providers.ListAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, failure.StatusCode);
        Assert.Equal(2, handler.TokenRequests);
        Assert.Equal(2, handler.ApiRequests.Count);
    }

    [Fact]
    public async Task In_test_mode_a_401_is_not_retried_the_secret_cannot_change()
    {
        var handler = new ScriptedHandler().Then(HttpStatusCode.Unauthorized, """{"error":"invalid_client","message":"no"}""");
        using var client = Client(handler, TimeProvider.System);
        await Assert.ThrowsAsync<FinqLinkApiException>(() => client.Providers.ListAsync());
        Assert.Single(handler.ApiRequests);
        Assert.Contains("\"client_secret\":\"secret\"", handler.ApiRequests[0].Body);
    }
}
