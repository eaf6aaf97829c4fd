using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net.Http;
using System.Reflection;
using System.Security;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Bench;
using FinqLink.Sandbox;
using FinqLink.Sandbox.Faults;

// Every figure is a ratio or a rate measured in this one run, so machines can be compared only by their ratios.
var quick = args.Contains("--quick");
var results = new List<Result>();
await using var sandbox = await SandboxHost.StartAsync(new SandboxOptions
{
    BankStepDelay = TimeSpan.FromMilliseconds(10), JobStepDelay = TimeSpan.FromMilliseconds(10), JobCooldown = TimeSpan.Zero,
});
var manifest = Path.Combine(Repo.Root, "out", "FinqLink", typeof(ModuleVersionAttribute).Assembly.GetCustomAttribute<ModuleVersionAttribute>()!.Version, "FinqLink.psd1");

results.AddRange(ImportTime.Measure(manifest));
results.AddRange(await SandboxThroughput.Measure(sandbox, quick));
using (var host = new Host(manifest, sandbox))
{
    results.AddRange(await Streaming.Measure(host, sandbox, quick ? 20_000 : 100_000));
    results.AddRange(BulkCreation.Measure(host, sandbox, quick ? 200 : 1000));
    results.AddRange(WebhookVerification.Measure(host, sandbox, quick ? 2_000 : 10_000));
}

Console.WriteLine();
Console.WriteLine($"{"Measure",-58} {"Value",14} {"Target",14}  Met");
foreach (var r in results)
    Console.WriteLine($"{r.Name,-58} {r.Value,14:0.###} {r.Target ?? "",14}  {(r.Met is bool met ? (met ? "yes" : "NO") : "")}");
var file = Path.Combine(Repo.Root, "bench", "results", "latest.json");
Directory.CreateDirectory(Path.GetDirectoryName(file)!);
File.WriteAllText(file, JsonSerializer.Serialize(new
{
    measured_at = DateTimeOffset.UtcNow, machine = Environment.MachineName, cores = Environment.ProcessorCount, quick,
    results = results.Select(r => new { name = r.Name, value = r.Value, unit = r.Unit, target = r.Target, met = r.Met }),
}, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"\nWritten to {file}");
return 0;

namespace FinqLink.Bench
{
    [AttributeUsage(AttributeTargets.Assembly)]
    public sealed class ModuleVersionAttribute(string version) : Attribute
    {
        public string Version { get; } = version;
    }

    public sealed record Result(string Name, double Value, string Unit, string? Target = null, bool? Met = null);

    static class Repo
    {
        public static string Root
        {
            get
            {
                var dir = new DirectoryInfo(AppContext.BaseDirectory);
                while (dir != null && !File.Exists(Path.Combine(dir.FullName, "FinqLink.psd1"))) dir = dir.Parent;
                return dir?.FullName ?? throw new InvalidOperationException("Cannot find the repository root.");
            }
        }
    }

    /// <summary>A hosted runspace with the built module imported and connected to the sandbox.</summary>
    sealed class Host : IDisposable
    {
        private readonly Runspace _runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());

        public Host(string manifest, SandboxHost sandbox)
        {
            _runspace.Open();
            var secret = new SecureString();
            foreach (var c in "demo-secret") secret.AppendChar(c);
            Invoke("Import-Module $args[0] -ErrorAction Stop; Connect-FinqLink -BaseUri $args[1] -ClientId demo -ClientSecret $args[2]", manifest, sandbox.BaseUrl, secret);
        }

        public List<PSObject> Invoke(string script, params object?[] args)
        {
            using var ps = PowerShell.Create();
            ps.Runspace = _runspace;
            ps.AddScript(script);
            foreach (var a in args) ps.AddArgument(a);
            var output = ps.Invoke().ToList();
            if (ps.Streams.Error.Count > 0 && !script.Contains("-ErrorAction SilentlyContinue"))
                throw new InvalidOperationException(string.Join("\n", ps.Streams.Error.Select(e => e.ToString())));
            return output;
        }

        public void Dispose() => _runspace.Dispose();
    }

    /// <summary>(a) What Import-Module FinqLink adds to opening an empty runspace.</summary>
    static class ImportTime
    {
        public static IEnumerable<Result> Measure(string manifest)
        {
            double Open(bool import)
            {
                var clock = Stopwatch.StartNew();
                using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
                runspace.Open();
                if (import)
                {
                    using var ps = PowerShell.Create();
                    ps.Runspace = runspace;
                    ps.AddScript("Import-Module $args[0] -ErrorAction Stop").AddArgument(manifest).Invoke();
                }
                return clock.Elapsed.TotalMilliseconds;
            }
            // Warm PowerShell's own module loading with another binary module, so the figure is what FinqLink adds.
            Open(false);
            WarmModuleMachinery();
            var first = Open(true) - Open(false);   // FinqLink's first import in the process pays for loading its assemblies
            var warm = Enumerable.Range(0, 5).Select(_ => Open(true) - Open(false)).OrderBy(x => x).ElementAt(2);
            yield return new Result("(a) Import-Module FinqLink, first in the process (ms added)", first, "ms", "<= 150", first <= 150);
            yield return new Result("(a) Import-Module, later runspaces (ms added, median)", warm, "ms");
        }

        private static void WarmModuleMachinery()
        {
            using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
            runspace.Open();
            using var ps = PowerShell.Create();
            ps.Runspace = runspace;
            ps.AddScript("Import-Module $args[0] -ErrorAction Stop").AddArgument(typeof(SandboxHost).Assembly.Location).Invoke();
        }
    }

    /// <summary>(b) Get-FinqTransaction | ForEach-Object against a raw HttpClient + System.Text.Json loop over the same pages.</summary>
    static class Streaming
    {
        public static async Task<IEnumerable<Result>> Measure(Host host, SandboxHost sandbox, int count)
        {
            sandbox.Control.Settings.TransactionsPerConsent = count;
            var consentId = (string)host.Invoke("(New-FinqConsent -ProviderId bt_ro).ConsentId")[0].BaseObject;
            sandbox.Control.ApproveConsent(consentId, "bt_ro");
            host.Invoke("Wait-FinqConsent $args[0] -PollIntervalSec 0.05 | Out-Null", consentId);

            var raw = Stopwatch.StartNew();
            var rawCount = await RawLoop(sandbox.BaseUrl, consentId);
            raw.Stop();

            var parallel = Stopwatch.StartNew();
            var parallelCount = (await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => RawLoop(sandbox.BaseUrl, consentId)))).Sum();
            parallel.Stop();

            GC.Collect();
            var before = GC.GetTotalMemory(true);
            var module = Stopwatch.StartNew();
            var output = host.Invoke("""
                $n = 0; $peak = 0; $baseline = $args[1]
                Get-FinqTransaction $args[0] | ForEach-Object { $n++; if ($n % 10000 -eq 0) { $peak = [Math]::Max($peak, [GC]::GetTotalMemory($false) - $baseline) } }
                $n; $peak
                """, consentId, before);
            module.Stop();
            var n = Convert.ToInt64(output[0].BaseObject);
            var growthMb = Convert.ToInt64(output[1].BaseObject) / 1024.0 / 1024.0;
            if (n != count || rawCount != count) throw new InvalidOperationException($"Counted {n} (module) and {rawCount} (raw), expected {count}.");
            var ratio = module.Elapsed.TotalSeconds / raw.Elapsed.TotalSeconds;
            return new[]
            {
                new Result($"(b) {count:N0} transactions: module / raw HttpClient time", ratio, "x", "<= 2.0", ratio <= 2.0),
                new Result("(b) module transactions per second", count / module.Elapsed.TotalSeconds, "/s"),
                new Result("(b) raw loop transactions per second (one client)", count / raw.Elapsed.TotalSeconds, "/s"),
                new Result("Sandbox: transactions per second through paging (4 clients)", parallelCount / parallel.Elapsed.TotalSeconds, "/s", ">= 100000",
                    parallelCount / parallel.Elapsed.TotalSeconds >= 100_000),
                new Result("(b) managed memory growth while streaming (MB)", growthMb, "MB", "<= 50", growthMb <= 50),
            };
        }

        private static async Task<long> RawLoop(string baseUrl, string consentId)
        {
            using var http = new HttpClient();
            string? after = null;
            long count = 0;
            while (true)
            {
                var body = new JsonObject { ["client_id"] = "demo", ["client_secret"] = "demo-secret", ["consent_id"] = consentId, ["pagination"] = new JsonObject { ["limit"] = 250, ["after"] = after } };
                using var response = await http.PostAsync(baseUrl + "/v2/ais/transactions/list", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
                using var document = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
                foreach (var t in document.RootElement.GetProperty("transactions").EnumerateArray())
                {
                    _ = t.GetProperty("amount").GetString();
                    count++;
                }
                var pagination = document.RootElement.GetProperty("pagination");
                if (!pagination.GetProperty("more?").GetBoolean()) return count;
                after = pagination.GetProperty("after").GetString();
            }
        }
    }

    /// <summary>(c) 1,000 New-FinqLink from the pipeline with 50 ms latency: default throttle against one at a time; then with 10% faults.</summary>
    static class BulkCreation
    {
        public static IEnumerable<Result> Measure(Host host, SandboxHost sandbox, int rows)
        {
            sandbox.Control.SetFaults(new[] { new FaultRule { Path = "links/create", LatencyMs = 50 } }, seed: 7);
            double Run(string parameters, string prefix)
            {
                var clock = Stopwatch.StartNew();
                var created = host.Invoke($"1..$args[0] | ForEach-Object {{ [pscustomobject]@{{ Amount = $_; Currency = 'RON'; Reference = \"$args[1]-$_\" }} }} | New-FinqLink {parameters} | Measure-Count", rows, prefix);
                return clock.Elapsed.TotalSeconds;
            }
            host.Invoke("function Measure-Count { begin { $n = 0 } process { $n++ } end { $n } }");
            var concurrent = Run("", "fast");
            var serial = Run("-ThrottleLimit 1", "slow");
            var speedup = serial / concurrent;

            sandbox.Control.SetFaults(new[] { new FaultRule { Path = "links/create", LatencyMs = 50, FailBefore = 0.03, FailAfter = 0.03, RateLimit = 0.02, DropAfter = 0.02 } }, seed: 11);
            var journal = Path.Combine(Path.GetTempPath(), $"finqlink-bench-{Guid.NewGuid():N}.jsonl");
            var duplicatesBefore = sandbox.Control.Counters.DuplicateLinks;
            try
            {
                host.Invoke("1..$args[0] | ForEach-Object { [pscustomobject]@{ Amount = $_; Currency = 'RON'; Reference = \"faulty-$_\"; RemittanceInformation = \"faulty-$_\" } } | New-FinqLink -JournalPath $args[1] -ErrorAction SilentlyContinue | Out-Null", rows, journal);
                sandbox.Control.ClearFaults();
                host.Invoke("1..$args[0] | ForEach-Object { [pscustomobject]@{ Amount = $_; Currency = 'RON'; Reference = \"faulty-$_\"; RemittanceInformation = \"faulty-$_\" } } | New-FinqLink -JournalPath $args[1] -ErrorAction SilentlyContinue | Out-Null", rows, journal);
            }
            finally { File.Delete(journal); }
            var duplicates = sandbox.Control.Counters.DuplicateLinks - duplicatesBefore;
            return new[]
            {
                new Result($"(c) {rows:N0} links at 50 ms: one at a time / default (speed-up)", speedup, "x", ">= 8", speedup >= 8),
                new Result("(c) links per second, default settings", rows / concurrent, "/s"),
                new Result("(c) duplicate links with 10% faults (after a journal re-run)", duplicates, "links", "0", duplicates == 0),
            };
        }
    }

    /// <summary>(d) Test-FinqWebhookSignature per second with the session's JWKS cached.</summary>
    static class WebhookVerification
    {
        public static IEnumerable<Result> Measure(Host host, SandboxHost sandbox, int count)
        {
            var body = Encoding.UTF8.GetBytes("{\"type\":\"link_status_update\",\"link_id\":\"4f0e3c52-1d7a-4a55-9a0e-2b1f8c7d6e5a\",\"status\":\"completed\"}");
            var (jws, kid) = sandbox.Control.Keys.Sign(body);
            var text = Encoding.UTF8.GetString(body);
            host.Invoke("Test-FinqWebhookSignature -Body $args[0] -Signature $args[1] -KeyId $args[2] | Out-Null", text, jws, kid);
            var clock = Stopwatch.StartNew();
            var valid = host.Invoke("$ok = 0; foreach ($i in 1..$args[3]) { if (Test-FinqWebhookSignature -Body $args[0] -Signature $args[1] -KeyId $args[2]) { $ok++ } }; $ok", text, jws, kid, count);
            var rate = count / clock.Elapsed.TotalSeconds;
            if (Convert.ToInt32(valid[0].BaseObject) != count) throw new InvalidOperationException("A genuine webhook failed verification.");
            return new[] { new Result("(d) webhook verifications per second (cmdlet, cached JWKS)", rate, "/s", ">= 5000", rate >= 5000) };
        }
    }

    /// <summary>The sandbox must not be the bottleneck: simple requests and paged transactions per second over loopback.</summary>
    static class SandboxThroughput
    {
        public static async Task<IEnumerable<Result>> Measure(SandboxHost sandbox, bool quick)
        {
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 });
            var url = sandbox.BaseUrl + "/v2/providers/list";
            var payload = "{\"client_id\":\"demo\",\"client_secret\":\"demo-secret\"}";
            var total = quick ? 5_000 : 30_000;
            var done = 0;
            async Task Worker()
            {
                while (Interlocked.Increment(ref done) <= total)
                {
                    using var response = await http.PostAsync(url, new StringContent(payload, Encoding.UTF8, "application/json"));
                    await response.Content.ReadAsByteArrayAsync();
                }
            }
            await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Worker()));   // warm-up and measurement share one pool
            var clock = Stopwatch.StartNew();
            done = 0;
            await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Worker()));
            var rps = total / clock.Elapsed.TotalSeconds;
            return new[] { new Result("Sandbox: providers/list requests per second (32 clients)", rps, "/s", ">= 5000", rps >= 5000) };
        }
    }
}
