using System;
using System.Linq;
using System.Management.Automation;
using FinqLink.Sandbox.Auth;
using Xunit;

namespace FinqLink.Module.Tests;

/// <summary>Invoke-FinqLinkSandbox -Trigger plays whole stories through the API; Get-FinqLinkSandboxWebhook reads what they sent.</summary>
public sealed class SandboxScenarioTests : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SandboxFixture _fixture;
    private readonly ModuleHost _ps = new();

    public SandboxScenarioTests(SandboxFixture fixture)
    {
        _fixture = fixture;
        _ps.Invoke("Connect-FinqLink -BaseUri $args[0] -ClientId demo -ClientSecret $args[1]", fixture.Sandbox.BaseUrl, PayCmdletTests.Secure(ClientRegistry.DemoClientSecret));
        _ps.AssertNoErrors();
    }

    [Theory]
    [InlineData("LinkPaid", "completed", "created started requested intent_accepted awaiting_authz received submitted completed")]
    [InlineData("LinkFundsReceived", "funds_received", "created started requested intent_accepted awaiting_authz received submitted completed funds_received")]
    [InlineData("LinkFundsRejected", "funds_rejected", "created started requested intent_accepted awaiting_authz received submitted completed funds_rejected")]
    [InlineData("LinkFailed", "failed", "created started requested intent_accepted awaiting_authz failed")]
    [InlineData("LinkExpired", "created", "created")]
    [InlineData("ConsentActive", "active", "created started requested sca_url_retrieved awaiting_authz authorized active")]
    [InlineData("ConsentFailed", "failed", "created started requested sca_url_retrieved awaiting_authz failed")]
    [InlineData("ConsentExpired", "expired", "created expired")]
    [InlineData("ConsentRevoked", "revoked", "created started requested sca_url_retrieved awaiting_authz authorized active revoked")]
    public void A_scenario_ends_in_its_status_having_sent_one_webhook_per_change_in_order(string trigger, string status, string path)
    {
        var offsetBefore = _fixture.Sandbox.Control.Clock.Offset;
        var result = _ps.Invoke("Invoke-FinqLinkSandbox -Trigger $args[0] -Verbose", trigger).Single();
        _ps.AssertNoErrors();
        Assert.Equal(status, result.Properties["Status"].Value);
        var isLink = trigger.StartsWith("Link", StringComparison.Ordinal);
        Assert.Equal(isLink ? "PaymentLink" : "Consent", result.BaseObject.GetType().Name);
        var id = (string)result.Properties[isLink ? "LinkId" : "ConsentId"].Value;
        Assert.Contains(_ps.Last.Verbose, v => v.Contains($"created {(isLink ? "link" : "consent")} {id} through the API", StringComparison.Ordinal));

        var statuses = path.Split(' ');
        var expected = statuses.Skip(1).Select((to, i) => $"{statuses[i]}>{to}").ToArray();
        var webhooks = ((System.Collections.IEnumerable)result.Properties["Webhooks"].Value).Cast<object>().Select(PSObject.AsPSObject).ToList();
        Assert.Equal(expected, webhooks.Select(w => $"{w.Properties["FromStatus"].Value}>{w.Properties["Status"].Value}"));
        Assert.All(webhooks, w => Assert.Equal(204, w.Properties["HttpStatus"].Value));
        // What the sandbox itself sent about the object, in the order it sent it.
        Assert.Equal(expected, _fixture.Sandbox.Control.WebhookLog.Where(d => d.IsAbout(id)).OrderBy(d => d.Id).Select(d => $"{d.FromStatus}>{d.Status}"));

        var expires = trigger.EndsWith("Expired", StringComparison.Ordinal);
        Assert.Equal(expires, _fixture.Sandbox.Control.Clock.Offset - offsetBefore >= TimeSpan.FromMinutes(5));
        if (isLink) Assert.Equal(expires, result.Properties["IsExpired"].Value);
    }

    [Fact]
    public void The_log_is_typed()
    {
        var consent = _ps.Invoke("Invoke-FinqLinkSandbox -Trigger ConsentFailed").Single();
        var rows = _ps.Invoke("$args[0] | Get-FinqLinkSandboxWebhook -BaseUri $args[1]", consent, _fixture.Sandbox.BaseUrl);
        _ps.AssertNoErrors();
        Assert.Equal(5, rows.Count);
        var last = rows[^1];
        Assert.Equal("FinqLink.LocalSandbox.SandboxWebhookDelivery", last.BaseObject.GetType().FullName);
        Assert.Equal("consent_status_update", last.Properties["EventType"].Value);
        Assert.Equal(consent.Properties["ConsentId"].Value, last.Properties["ConsentId"].Value);
        Assert.Equal("failed", last.Properties["Status"].Value);
        Assert.Equal(_fixture.Sandbox.Control.Keys.CurrentKid, last.Properties["KeyId"].Value);
        Assert.Equal(true, last.Properties["Signed"].Value);
        Assert.Equal(1, last.Properties["Attempt"].Value);
    }

    [Fact]
    public void Follow_ends_at_once_when_stopped_while_it_waits()
    {
        var consent = _ps.Invoke("Invoke-FinqLinkSandbox -Trigger ConsentExpired").Single();
        var ps = PowerShell.Create();
        var stopped = true;
        try
        {
            ps.AddScript("Import-Module $args[0]").AddArgument(ModuleHost.ManifestPath).Invoke();
            ps.Commands.Clear();
            ps.AddScript("Get-FinqLinkSandboxWebhook -BaseUri $args[0] -Id $args[1] -Follow").AddArgument(_fixture.Sandbox.BaseUrl).AddArgument(consent.Properties["ConsentId"].Value);
            var output = new PSDataCollection<PSObject>();
            using var firstRow = new System.Threading.ManualResetEventSlim();
            output.DataAdded += (_, _) => firstRow.Set();
            var running = ps.BeginInvoke(new PSDataCollection<PSObject>(), output);
            // Its one row is written; it then waits for the next, and that is when it is stopped.
            Assert.True(firstRow.Wait(TimeSpan.FromSeconds(60)), "the existing row never came");
            // A stop that hangs must fail the test, not hang it.
            stopped = ps.BeginStop(null, null).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(2));
            Assert.True(stopped, "stopping took more than 2 s");
            Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
            Assert.Equal("expired", output.Single().Properties["Status"].Value);
        }
        finally
        {
            // Disposing a pipeline that ignores its stop waits for it without end: it is left to the test host's exit.
            if (stopped) ps.Dispose();
        }
    }

    [Fact]
    public void LinkPaid_refuses_a_bank_that_confirms_funds_and_creates_nothing()
    {
        var before = _fixture.Sandbox.Control.Counters.LinksCreated;
        _ps.Invoke("Invoke-FinqLinkSandbox -Trigger LinkPaid -ProviderId libra_ro");
        var error = Assert.Single(_ps.Last.Errors);
        Assert.Equal("FinqLink.Sandbox.ScenarioFailed,FinqLink.PowerShell.Cmdlets.InvokeFinqLinkSandboxCommand", error.FullyQualifiedErrorId);
        Assert.Contains("libra_ro confirms funds", error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal(before, _fixture.Sandbox.Control.Counters.LinksCreated);
    }

    public void Dispose() => _ps.Dispose();
}
