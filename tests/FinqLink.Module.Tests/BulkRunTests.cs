using System;
using System.IO;
using System.Linq;
using FinqLink.Sandbox.Faults;
using Xunit;

namespace FinqLink.Module.Tests;

/// <summary>A 1,000-row bulk run through faults, including faults after the link was created, and a re-run from the journal.</summary>
public sealed class BulkRunTests : IAsyncLifetime
{
    private FinqLink.Sandbox.SandboxHost _sandbox = null!;
    private readonly ModuleHost _ps = new();
    private readonly string _journal = Path.Combine(Path.GetTempPath(), $"finqlink-journal-{Guid.NewGuid():N}.jsonl");

    public async System.Threading.Tasks.Task InitializeAsync()
    {
        _sandbox = await FinqLink.Sandbox.SandboxHost.StartAsync(new FinqLink.Sandbox.SandboxOptions { Seed = 7 });
        _ps.Invoke("Connect-FinqLink -BaseUri $args[0] -ClientId demo -ClientSecret $args[1]", _sandbox.BaseUrl, PayCmdletTests.Secure("demo-secret"));
    }

    private const string Rows = """
        1..1000 | ForEach-Object {
            [pscustomobject]@{ InvoiceNumber = ('BULK-{0:D4}' -f $_); Amount = ('{0}.{1:D2}' -f (10 + $_), ($_ % 100)); Currency = 'RON';
                               Beneficiary = 'ACME SRL'; Iban = 'RO10RZBR0000069999999970'; Description = ('Invoice {0}' -f $_) }
        }
        """;

    [Fact]
    public void Faults_never_create_a_link_twice_and_a_rerun_completes_the_rest()
    {
        _sandbox.Control.SetFaults(new[]
        {
            new FaultRule { Path = "links/create", LatencyMs = 5, FailBefore = 0.03, FailAfter = 0.03, RateLimit = 0.02, DropAfter = 0.01, DropBefore = 0.01 },
        }, seed: 11);

        var first = _ps.Invoke(Rows + " | New-FinqLink -ThrottleLimit 8 -JournalPath $args[0] -SummaryVariable summary", _journal);
        var firstErrors = _ps.Last.Errors;
        var created = first.Select(o => (string)o.Properties["Reference"].Value).ToHashSet();
        var reported = firstErrors.Select(e => (string)((dynamic)e.TargetObject).InvoiceNumber).ToHashSet();
        Assert.True(_sandbox.Control.Counters.FaultsInjected > 50,
            $"the run should have met many faults: {_sandbox.Control.Counters.FaultsInjected} faults, {created.Count} created, {reported.Count} reported; "
            + string.Join(" | ", firstErrors.Take(3).Select(e => e.FullyQualifiedErrorId + ": " + e.Exception.Message)));
        Assert.Empty(created.Intersect(reported));
        Assert.Equal(1000, created.Count + reported.Count);        // every row is created or reported
        Assert.Equal(created.Select((_, i) => i).Count(), first.Count);
        Assert.True((long)_ps.Invoke("$summary.Reconciled").Single().BaseObject > 0, "unknown outcomes were settled by listing the links");
        Assert.Equal(0, _sandbox.Control.Counters.DuplicateLinks);
        // Results come in input order.
        Assert.Equal(first.Select(o => (string)o.Properties["Reference"].Value).OrderBy(r => r, StringComparer.Ordinal), first.Select(o => (string)o.Properties["Reference"].Value));

        _sandbox.Control.ClearFaults();
        var second = _ps.Invoke(Rows + " | New-FinqLink -JournalPath $args[0]", _journal);
        _ps.AssertNoErrors();
        Assert.Equal(1000, second.Count);
        Assert.Equal(1000, second.Select(o => (string)o.Properties["LinkId"].Value).Distinct().Count());
        Assert.Equal(0, _sandbox.Control.Counters.DuplicateLinks);
        Assert.Equal(1000, _sandbox.Control.Counters.LinksCreated);
        Assert.Equal(created.Count, second.Count(o => (bool)o.Properties["FromJournal"].Value));
    }

    public async System.Threading.Tasks.Task DisposeAsync()
    {
        _ps.Dispose();
        await _sandbox.DisposeAsync();
        File.Delete(_journal);
    }
}
