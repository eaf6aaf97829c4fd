using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Webhooks;
using Xunit;
using Xunit.Abstractions;
using static FinqLink.Core.Tests.WebhookSigning;

namespace FinqLink.Core.Tests;

/// <summary>
/// Figures for the record, not tests (see <see cref="BenchmarkFactAttribute"/>): verifications per second with a cached
/// JWKS, and genuine verification latency with and without a forged-kid flood on the same cache.
/// </summary>
public sealed class WebhookVerificationBenchmark(ITestOutputHelper output)
{
    private static readonly RSA Rsa = RSA.Create(2048), Attacker = RSA.Create(2048);
    private static readonly ECDsa Ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private static readonly string PublishedJwks = Jwks(RsaJwk(Rsa, "rsa-kid"), EcJwk(Ec, "ec-kid"));

    [BenchmarkFact]
    public async Task Verifications_per_second_with_a_cached_jwks()
    {
        var cache = new WebhookKeyCache(_ => Task.FromResult(PublishedJwks));
        foreach (var (kid, key, alg) in new (string, AsymmetricAlgorithm, string)[] { ("rsa-kid", Rsa, "RS256"), ("ec-kid", Ec, "ES256") })
        {
            var signature = Sign(Header(alg, kid), Body, key);
            var best = 0.0;
            for (var round = 0; round < 9; round++)
            {
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < 5_000; i++)
                    Assert.True((await WebhookVerifier.VerifyAsync(Body, signature, kid, cache.FindAsync, CancellationToken.None)).IsValid);
                best = Math.Max(best, 5_000 / clock.Elapsed.TotalSeconds);
            }
            output.WriteLine($"{alg}: {best:N0} verifications/s (best of 9 rounds of 5,000)");
        }
    }

    /// <summary>
    /// The JWKS download takes 50 ms, as a network fetch would. Three threads send forged webhooks, each with a fresh kid
    /// (the JWS header names none, so the kid is only x-signature-kid and no signing slows the attacker), while one caller
    /// verifies genuine webhooks one after another for two seconds.
    /// </summary>
    [BenchmarkFact]
    public async Task Genuine_latency_with_and_without_a_kid_flood()
    {
        var cache = new WebhookKeyCache(async ct => { await Task.Delay(50, ct); return PublishedJwks; });
        var genuine = Sign(Header("RS256", "rsa-kid"), Body, Rsa);
        var forgery = Sign("{\"alg\":\"RS256\"}", Body, Attacker);
        await WebhookVerifier.VerifyAsync(Body, genuine, "rsa-kid", cache.FindAsync, CancellationToken.None);

        Report("no flood", await GenuineLatencies(cache, genuine), cache.Fetches, null);
        using var stop = new CancellationTokenSource();
        var forged = Enumerable.Range(0, 3).Select(_ => new List<double>()).ToArray();
        var fetchesBefore = cache.Fetches;
        var flood = Enumerable.Range(0, 3).Select(thread => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var clock = Stopwatch.StartNew();
                Assert.False((await WebhookVerifier.VerifyAsync(Body, forgery, $"forged-{thread}-{i}", cache.FindAsync, CancellationToken.None)).IsValid);
                lock (forged[thread]) forged[thread].Add(clock.Elapsed.TotalMilliseconds);
            }
        })).ToArray();
        while (forged.Any(f => { lock (f) return f.Count == 0; })) await Task.Delay(10);
        var underFlood = await GenuineLatencies(cache, genuine);
        stop.Cancel();
        await Task.WhenAll(flood);
        Report("3-thread flood", underFlood, cache.Fetches - fetchesBefore, forged.SelectMany(f => f).ToList());
    }

    private static async Task<List<double>> GenuineLatencies(WebhookKeyCache cache, string signature)
    {
        var latencies = new List<double>();
        for (var run = Stopwatch.StartNew(); run.Elapsed < TimeSpan.FromSeconds(2);)
        {
            var clock = Stopwatch.StartNew();
            Assert.True((await WebhookVerifier.VerifyAsync(Body, signature, "rsa-kid", cache.FindAsync, CancellationToken.None)).IsValid);
            latencies.Add(clock.Elapsed.TotalMilliseconds);
        }
        return latencies;
    }

    private void Report(string name, List<double> genuine, int fetches, List<double>? forged)
    {
        output.WriteLine($"{name}: {genuine.Count} genuine, median {Percentile(genuine, 0.5):0.000} ms, p95 {Percentile(genuine, 0.95):0.000} ms, max {genuine.Max():0.0} ms; JWKS fetches {fetches}" +
            (forged == null ? "" : $"; {forged.Count} forged with fresh kids, median {Percentile(forged, 0.5):0.000} ms, p95 {Percentile(forged, 0.95):0.000} ms"));
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];
    }
}
