using System;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using FinqLink.Sandbox.Auth;
using Xunit;

namespace FinqLink.Module.Tests;

public sealed class DataCmdletTests : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SandboxFixture _fixture;
    private readonly ModuleHost _ps = new();

    public DataCmdletTests(SandboxFixture fixture)
    {
        _fixture = fixture;
        _ps.Invoke("Connect-FinqLink -BaseUri $args[0] -ClientId demo -ClientSecret $args[1]", fixture.Sandbox.BaseUrl, PayCmdletTests.Secure(ClientRegistry.DemoClientSecret));
        _ps.AssertNoErrors();
    }

    private Action<string> Approve => id => _fixture.Sandbox.Control.ApproveConsent(id, "bt_ro");

    private string ActiveConsent(string scope = "accounts,balances,transactions")
    {
        var id = (string)_ps.Invoke("(New-FinqConsent -ProviderId bt_ro -Scope ($args[0] -split ',')).ConsentId", scope).Single().BaseObject;
        _fixture.Sandbox.Control.ApproveConsent(id, "bt_ro");
        _ps.Invoke("Wait-FinqConsent $args[0] -PollIntervalSec 0.05 -TimeoutSec 30", id);
        _ps.AssertNoErrors();
        return id;
    }

    [Fact]
    public void The_whole_chain_runs_in_one_pipeline_from_consent_to_transactions()
    {
        var transactions = _ps.Invoke("""
            $approve = $args[0]
            New-FinqConsent -ProviderId bt_ro -ValidityDays 30 |
                ForEach-Object { $approve.Invoke($_.ConsentId); $_ } |
                Wait-FinqConsent -PollIntervalSec 0.05 -TimeoutSec 30 |
                Start-FinqDataRefresh |
                Wait-FinqDataRefresh -PollIntervalSec 0.05 -TimeoutSec 30 |
                Get-FinqTransaction -First 10
            """, Approve);
        _ps.AssertNoErrors();
        Assert.Equal(10, transactions.Count);
        Assert.All(transactions, t =>
        {
            Assert.Equal("FinqLink.Models.Data.Transaction", t.BaseObject.GetType().FullName);
            var amount = (decimal)t.Properties["Amount"].Value;
            var signed = (decimal)t.Properties["SignedAmount"].Value;
            Assert.True(amount > 0);
            Assert.Equal((string)t.Properties["CreditDebitIndicator"].Value == "debit" ? -amount : amount, signed);
        });
        var booked = transactions.Select(t => (DateTimeOffset)t.Properties["BookingDateTime"].Value).ToList();
        Assert.Equal(booked.OrderByDescending(b => b), booked);
    }

    [Fact]
    public void A_consent_reports_its_lifecycle_and_accounts_come_with_latest_balances()
    {
        var id = ActiveConsent();
        var consent = _ps.Invoke("Get-FinqConsent $args[0]", id).Single();
        Assert.Equal("active", consent.Properties["Status"].Value);
        Assert.NotNull(consent.Properties["AuthorizedUntil"].Value);
        var accounts = _ps.Invoke("Get-FinqConsent $args[0] | Get-FinqAccount", id);
        _ps.AssertNoErrors();
        Assert.Equal(2, accounts.Count);
        Assert.All(accounts, a => Assert.NotEmpty((Array)a.Properties["Balances"].Value));
        Assert.All(accounts, a => Assert.Equal(id, a.Properties["ConsentId"].Value));
        var eur = _ps.Invoke("Get-FinqAccount $args[0] -Currency eur", id).Single();
        Assert.Equal("EUR", eur.Properties["Currency"].Value);
    }

    [Fact]
    public void Balances_and_transactions_honour_their_filters_and_accounts_pipe_into_them()
    {
        var id = ActiveConsent();
        var balances = _ps.Invoke("Get-FinqAccount $args[0] -Currency RON | Get-FinqBalance -Type available", id);
        _ps.AssertNoErrors();
        Assert.NotEmpty(balances);
        Assert.All(balances, b => Assert.Equal("available", b.Properties["Type"].Value));
        Assert.All(balances, b => Assert.Equal("RON", b.Properties["Currency"].Value));

        var debits = _ps.Invoke("Get-FinqTransaction $args[0] -CreditDebitIndicator debit -MinimumAmount 100 -MaximumAmount 300 -Status booked -First 50", id);
        _ps.AssertNoErrors();
        Assert.NotEmpty(debits);
        Assert.All(debits, t =>
        {
            Assert.Equal("debit", t.Properties["CreditDebitIndicator"].Value);
            Assert.InRange((decimal)t.Properties["Amount"].Value, 100m, 300m);
            Assert.Equal("booked", t.Properties["Status"].Value);
        });
        var from = DateTimeOffset.UtcNow.Date.AddDays(-2);
        var to = DateTimeOffset.UtcNow.Date.AddDays(-1);
        var window = _ps.Invoke("Get-FinqTransaction $args[0] -BookedFrom $args[1] -BookedTo $args[2]", id, new DateTimeOffset(from, TimeSpan.Zero), new DateTimeOffset(to, TimeSpan.Zero));
        Assert.NotEmpty(window);
        Assert.All(window, t => Assert.InRange((DateTimeOffset)t.Properties["BookingDateTime"].Value, new DateTimeOffset(from, TimeSpan.Zero), new DateTimeOffset(to, TimeSpan.Zero)));
    }

    [Fact]
    public void First_and_skip_page_lazily()
    {
        var id = ActiveConsent();
        var all = _ps.Invoke("Get-FinqTransaction $args[0] -First 30", id);
        var before = _fixture.Sandbox.Control.Counters.Requests;
        var some = _ps.Invoke("Get-FinqTransaction $args[0] -Skip 10 -First 5", id);
        Assert.Equal(1, _fixture.Sandbox.Control.Counters.Requests - before);
        Assert.Equal(all.Skip(10).Take(5).Select(t => t.Properties["TransactionId"].Value), some.Select(t => t.Properties["TransactionId"].Value));
    }

    [Fact]
    public void Bad_input_is_refused_before_any_request_naming_the_field()
    {
        var before = _fixture.Sandbox.Control.Counters.Requests;
        _ps.Invoke("New-FinqConsent -Scope accounts,transactions");
        Assert.Equal("FinqLink.InvalidInput.Scope", _ps.Last.Errors.Single().FullyQualifiedErrorId.Split(',')[0]);
        _ps.Invoke("New-FinqConsent -ExpiresIn ([TimeSpan]::FromDays(46))");
        Assert.Contains("ExpiresIn", _ps.Last.Errors.Single().Exception.Message);
        _ps.Invoke("Get-FinqTransaction -ConsentId x -MinimumAmount 50 -MaximumAmount 10");
        Assert.Equal("FinqLink.InvalidInput.MinimumAmount", _ps.Last.Errors.Single().FullyQualifiedErrorId.Split(',')[0]);
        _ps.Invoke("Start-FinqDataRefresh -ConsentId x -CallbackUrl ftp://example.org/hook");
        Assert.Equal("FinqLink.InvalidInput.CallbackUrl", _ps.Last.Errors.Single().FullyQualifiedErrorId.Split(',')[0]);
        Assert.Equal(before, _fixture.Sandbox.Control.Counters.Requests);
    }

    [Fact]
    public void Revoking_is_idempotent_and_an_inactive_consent_gets_a_clear_error()
    {
        var id = ActiveConsent();
        var revoked = _ps.Invoke("Revoke-FinqConsent $args[0] -Confirm:$false -PassThru", id).Single();
        Assert.Equal("revoked", revoked.Properties["Status"].Value);
        _ps.Invoke("Revoke-FinqConsent $args[0] -Confirm:$false", id);
        _ps.AssertNoErrors();
        _ps.Invoke("Get-FinqTransaction $args[0] -First 1", id);
        Assert.StartsWith("FinqLink.Api.consent_not_active", _ps.Last.Errors.Single().FullyQualifiedErrorId);

        var other = ActiveConsent();
        _fixture.Sandbox.Control.SetConsentStatus(other, "expired");
        _ps.Invoke("Revoke-FinqConsent $args[0] -Confirm:$false", other);
        var error = _ps.Last.Errors.Single();
        Assert.StartsWith("FinqLink.Api.consent_not_active", error.FullyQualifiedErrorId);
        Assert.Contains("no longer active", error.Exception.Message);
        _ps.Invoke("Revoke-FinqConsent $args[0] -WhatIf", id);
        _ps.AssertNoErrors();
    }

    [Fact]
    public void A_direct_sca_consent_completes_from_the_banks_redirect_url()
    {
        var consent = _ps.Invoke("New-FinqConsent -ProviderId bt_ro -FlowType direct_sca -RedirectUrl https://app.example/back").Single();
        var id = (string)consent.Properties["ConsentId"].Value;
        var code = _fixture.Sandbox.Control.ApproveConsent(id, "bt_ro");
        var done = _ps.Invoke("Complete-FinqConsent $args[0] -RedirectUri $args[1]", id, $"https://app.example/back?state=x&code={code}").Single();
        _ps.AssertNoErrors();
        Assert.Equal("active", done.Properties["Status"].Value);
    }

    [Fact]
    public void A_redirect_url_without_a_code_is_refused_in_words_a_user_reads()
    {
        _ps.Invoke("Complete-FinqConsent $args[0] -RedirectUri $args[1]", Guid.NewGuid().ToString(), "https://app.example/back?state=x");
        var message = Assert.Single(_ps.Last.Errors).Exception.Message;
        Assert.StartsWith("-Code: ", message);                              // the parameter, named once
        Assert.Contains("the bank's redirect carries a code (or an error)", message);
    }

    [Fact]
    public void A_refresh_inside_the_cooldown_says_when_it_may_succeed()
    {
        var id = ActiveConsent();
        var settings = _fixture.Sandbox.Control.Settings;
        _ps.Invoke("Start-FinqDataRefresh $args[0]", id);
        _ps.AssertNoErrors();
        lock (settings)
        {
            settings.JobCooldown = TimeSpan.FromMinutes(30);
            try
            {
                _ps.Invoke("Start-FinqDataRefresh $args[0]", id);
            }
            finally { settings.JobCooldown = TimeSpan.Zero; }
        }
        var error = _ps.Last.Errors.Single();
        Assert.StartsWith("FinqLink.Api.cooldown_failed", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.LimitsExceeded, error.CategoryInfo.Category);
        Assert.Matches(@"allowed from \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(in (29|30) min\)", error.Exception.Message);
    }

    [Fact]
    public void A_failed_refresh_is_an_error_and_a_timeout_names_the_status()
    {
        var id = ActiveConsent();
        _fixture.Sandbox.Control.Settings.JobStepDelay = TimeSpan.FromSeconds(30);
        try
        {
            var job = _ps.Invoke("Start-FinqDataRefresh $args[0]", id).Single();
            var jobId = (string)job.Properties["JobId"].Value;
            _ps.Invoke("$args[0] | Wait-FinqDataRefresh -TimeoutSec 1 -PollIntervalSec 0.2", job);
            Assert.StartsWith("FinqLink.WaitTimeout", _ps.Last.Errors.Single().FullyQualifiedErrorId);
            Assert.Contains("job_started", _ps.Last.Errors.Single().Exception.Message);
            _fixture.Sandbox.Control.SetJobStatus(jobId, "job_failed");
            var output = _ps.Invoke("$args[0] | Wait-FinqDataRefresh -PollIntervalSec 0.05", job);
            Assert.Empty(output);
            Assert.StartsWith("FinqLink.WaitUnreachable", _ps.Last.Errors.Single().FullyQualifiedErrorId);
        }
        finally { _fixture.Sandbox.Control.Settings.JobStepDelay = TimeSpan.FromMilliseconds(20); }
    }

    [Fact]
    public void A_hundred_thousand_transactions_stream_with_flat_memory()
    {
        var settings = _fixture.Sandbox.Control.Settings;
        settings.TransactionsPerConsent = 100_000;
        string id;
        try { id = ActiveConsent(); }
        finally { settings.TransactionsPerConsent = 2_000; }

        var result = _ps.Invoke("""
            $n = 0; $sum = [decimal]0
            $baseline = [GC]::GetTotalMemory($true); $peak = 0
            Get-FinqTransaction $args[0] | ForEach-Object {
                $n++; $sum += $_.SignedAmount
                if ($n % 20000 -eq 0) { $peak = [Math]::Max($peak, [GC]::GetTotalMemory($true) - $baseline) }
            }
            $n; $peak; $sum
            """, id);
        _ps.AssertNoErrors();
        Assert.Equal(100_000, (int)result[0].BaseObject);
        // Holding 100,000 transactions would take well over 60 MB; streaming keeps about one page alive.
        Assert.InRange(Convert.ToInt64(result[1].BaseObject, CultureInfo.InvariantCulture), long.MinValue, 40L * 1024 * 1024);
        Assert.NotEqual(0m, (decimal)result[2].BaseObject);
    }

    public void Dispose() => _ps.Dispose();
}
