using System;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Webhooks;
using Xunit;
using static FinqLink.Core.Tests.WebhookSigning;

namespace FinqLink.Core.Tests;

/// <summary>The JWKS cache with a hand-moved clock and a fake endpoint: bounded staleness, rotation, and kid floods.</summary>
public sealed class WebhookKeyCacheTests
{
    private static readonly RSA Current = RSA.Create(2048), Previous = RSA.Create(2048), Next = RSA.Create(2048), Attacker = RSA.Create(2048);
    private readonly ManualClock _clock = new();
    private readonly FakeJwksEndpoint _endpoint = new();
    private readonly WebhookKeyCache _cache;

    public WebhookKeyCacheTests()
    {
        _endpoint.Publish(RsaJwk(Current, "current"), RsaJwk(Previous, "previous"));
        _cache = new WebhookKeyCache(_endpoint.FetchAsync, () => _clock.Now);
    }

    private Task<WebhookVerification> Receive(string kid, RSA signer, string? headerKid = null) =>
        WebhookVerifier.VerifyAsync(Body, Sign(Header("RS256", kid), Body, signer), headerKid ?? kid, _cache.FindAsync, CancellationToken.None);

    [Fact]
    public async Task Known_kids_are_answered_from_the_copy_until_it_is_MaxAge_old()
    {
        Assert.True((await Receive("current", Current)).IsValid);
        Assert.True((await Receive("previous", Previous)).IsValid);
        _clock.Advance(WebhookKeyCache.MaxAge);
        Assert.True((await Receive("current", Current)).IsValid);
        Assert.Equal(1, _cache.Fetches);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await Receive("current", Current)).IsValid);
        Assert.Equal(2, _cache.Fetches);
    }

    [Fact]
    public async Task A_kid_rotated_out_while_cached_is_rejected_once_the_copy_is_MaxAge_old()
    {
        Assert.True((await Receive("previous", Previous)).IsValid);
        _endpoint.Publish(RsaJwk(Next, "next"), RsaJwk(Current, "current"));
        _clock.Advance(WebhookKeyCache.MaxAge - TimeSpan.FromSeconds(1));
        Assert.True((await Receive("previous", Previous)).IsValid, "within the documented staleness bound the cached copy still counts");
        _clock.Advance(TimeSpan.FromSeconds(2));
        var verdict = await Receive("previous", Previous);
        Assert.False(verdict.IsValid);
        Assert.Contains("not in FinqLink's JWKS", verdict.Failure);
        Assert.Equal(2, _cache.Fetches);
    }

    [Fact]
    public async Task A_new_kid_refetches_at_once_which_also_drops_the_key_it_replaced()
    {
        Assert.True((await Receive("previous", Previous)).IsValid);
        _endpoint.Publish(RsaJwk(Next, "next"), RsaJwk(Current, "current"));
        Assert.True((await Receive("next", Next)).IsValid);
        Assert.Equal(2, _cache.Fetches);
        Assert.False((await Receive("previous", Previous)).IsValid, "the refetch for the new kid dropped the removed one");
    }

    [Fact]
    public async Task Back_to_back_rotations_each_refetch_since_their_kids_were_found()
    {
        await Receive("current", Current);
        _endpoint.Publish(RsaJwk(Next, "next"), RsaJwk(Current, "current"));
        Assert.True((await Receive("next", Next)).IsValid);
        using var newest = RSA.Create(2048);
        _endpoint.Publish(RsaJwk(newest, "newest"), RsaJwk(Next, "next"));
        Assert.True((await Receive("newest", newest)).IsValid, "a refetch that found its kid does not start the unknown-kid interval");
        Assert.Equal(3, _cache.Fetches);
    }

    [Fact]
    public async Task A_forged_kid_is_remembered_and_costs_one_fetch_per_UnknownKidMemory()
    {
        await Receive("current", Current);
        for (var i = 0; i < 5; i++)
        {
            Assert.False((await Receive("forged", Attacker)).IsValid);
            _clock.Advance(WebhookKeyCache.UnknownKidRefetchInterval);
        }
        Assert.Equal(2, _cache.Fetches);
        _clock.Advance(WebhookKeyCache.UnknownKidMemory);
        Assert.False((await Receive("forged", Attacker)).IsValid);
        Assert.Equal(3, _cache.Fetches);
    }

    [Fact]
    public async Task Fresh_forged_kids_refetch_at_most_once_per_interval()
    {
        await Receive("current", Current);
        for (var i = 0; i < 50; i++) Assert.False((await Receive("forged-" + i, Attacker)).IsValid);
        Assert.Equal(2, _cache.Fetches);
        _clock.Advance(WebhookKeyCache.UnknownKidRefetchInterval);
        Assert.False((await Receive("forged-50", Attacker)).IsValid);
        Assert.False((await Receive("forged-51", Attacker)).IsValid);
        Assert.Equal(3, _cache.Fetches);
    }

    [Fact]
    public async Task A_flood_of_50_kids_from_3_threads_costs_one_fetch_and_genuine_webhooks_all_verify()
    {
        await Receive("current", Current);
        var flood = Enumerable.Range(0, 3).Select(thread => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
                if ((await Receive($"forged-{thread}-{i}", Attacker)).IsValid) throw new InvalidOperationException("a forged kid verified");
        })).ToArray();
        var genuine = Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++) Assert.True((await Receive(i % 2 == 0 ? "current" : "previous", i % 2 == 0 ? Current : Previous)).IsValid);
        });
        await Task.WhenAll(flood.Append(genuine));
        Assert.Equal(2, _cache.Fetches);
    }

    [Fact]
    public async Task Known_kids_verify_while_an_unknown_kids_refetch_hangs()
    {
        await Receive("current", Current);
        var hanging = _endpoint.HoldNextFetch();
        var forged = Receive("forged", Attacker);
        await _endpoint.FetchStarted(hanging);
        var forgedToo = Receive("forged-too", Attacker);
        var genuine = Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++) Assert.True((await Receive("previous", Previous)).IsValid);
        });
        Assert.Same(genuine, await Task.WhenAny(genuine, Task.Delay(TimeSpan.FromSeconds(10))));
        await genuine;
        Assert.False(forged.IsCompleted);
        Assert.False(forgedToo.IsCompleted, "a second unknown kid joins the fetch in progress");
        hanging.Release();
        Assert.False((await forged).IsValid);
        Assert.False((await forgedToo).IsValid);
        Assert.Equal(2, _cache.Fetches);
    }

    [Fact]
    public async Task Concurrent_callers_share_one_fetch_and_may_stop_waiting_for_it()
    {
        var hanging = _endpoint.HoldNextFetch();
        using var stop = new CancellationTokenSource();
        var impatient = _cache.FindAsync("current", stop.Token);
        var waiting = Enumerable.Range(0, 10).Select(_ => _cache.FindAsync("previous", CancellationToken.None)).ToArray();
        await _endpoint.FetchStarted(hanging);
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatient);
        hanging.Release();
        Assert.All(await Task.WhenAll(waiting), key => Assert.Equal("previous", key!.KeyId));
        Assert.Equal(1, _cache.Fetches);
    }

    [Fact]
    public async Task A_failing_endpoint_is_not_hammered_by_unknown_kids()
    {
        await Receive("current", Current);
        _endpoint.Fail = true;
        await Assert.ThrowsAsync<InvalidOperationException>(() => Receive("forged-1", Attacker));
        Assert.False((await Receive("forged-2", Attacker)).IsValid);
        Assert.True((await Receive("current", Current)).IsValid);
        Assert.Equal(2, _cache.Fetches);
    }

    [Fact]
    public async Task GetAsync_returns_the_fresh_copy_or_fetches_when_asked()
    {
        Assert.Equal(new[] { "current", "previous" }, (await _cache.GetAsync(false, default)).Keys.Select(k => k.KeyId));
        await _cache.GetAsync(false, default);
        Assert.Equal(1, _cache.Fetches);
        _endpoint.Publish(RsaJwk(Next, "next"), RsaJwk(Current, "current"));
        Assert.Equal("next", (await _cache.GetAsync(true, default)).Keys[0].KeyId);
        Assert.Equal(2, _cache.Fetches);
    }

    private sealed class ManualClock
    {
        public DateTimeOffset Now { get; private set; } = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        public void Advance(TimeSpan by) => Now += by;
    }
}
