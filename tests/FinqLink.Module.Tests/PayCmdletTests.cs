using System;
using System.Linq;
using System.Management.Automation;
using System.Security;
using FinqLink.Sandbox.Auth;
using Xunit;

namespace FinqLink.Module.Tests;

public sealed class PayCmdletTests : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SandboxFixture _fixture;
    private readonly ModuleHost _ps = new();

    public PayCmdletTests(SandboxFixture fixture)
    {
        _fixture = fixture;
        _ps.Invoke("Connect-FinqLink -BaseUri $args[0] -ClientId demo -ClientSecret $args[1]", fixture.Sandbox.BaseUrl, Secure(ClientRegistry.DemoClientSecret));
        _ps.AssertNoErrors();
    }

    public static SecureString Secure(string text)
    {
        var s = new SecureString();
        foreach (var c in text) s.AppendChar(c);
        return s;
    }

    [Fact]
    public void Session_shows_where_and_how_but_no_secret()
    {
        var session = _ps.Invoke("Get-FinqSession").Single();
        Assert.Equal("demo", session.Properties["ClientId"].Value);
        Assert.Equal("ClientSecret", session.Properties["AuthMethod"].Value);
        var shown = string.Join("\n", session.Properties.Select(p => $"{p.Name}={p.Value}")) + session;
        Assert.DoesNotContain(ClientRegistry.DemoClientSecret, shown);
    }

    [Fact]
    public void Get_FinqProvider_lists_the_sandbox_banks_with_array_remitter_types()
    {
        var providers = _ps.Invoke("Get-FinqProvider -IncludePaymentMethods");
        Assert.Contains(providers, p => (string)p.Properties["ProviderId"].Value == "rzb_ro");
        var bt = _ps.Invoke("Get-FinqProvider -ProviderId bt_ro -IncludePaymentMethods").Single();
        var method = ((Array)bt.Properties["PaymentMethods"].Value).Cast<object>().First();
        var remitter = (string[])PSObject.AsPSObject(method).Properties["RemitterType"].Value;
        Assert.Equal(new[] { "retail", "corporate" }, remitter);
    }

    [Fact]
    public void New_FinqLink_binds_csv_like_rows_and_reports_a_bad_row_without_stopping_the_others()
    {
        var output = _ps.Invoke("""
            @(
              [pscustomobject]@{ InvoiceNumber = 'INV-1'; Amount = '150.00'; Currency = 'RON'; Beneficiary = 'ACME SRL'; Iban = 'RO10RZBR0000069999999970'; Description = 'Invoice 1' }
              [pscustomobject]@{ InvoiceNumber = 'INV-2'; Amount = '12.5';   Currency = 'XXQ'; Beneficiary = 'ACME SRL'; Iban = 'RO10RZBR0000069999999970' }
              [pscustomobject]@{ InvoiceNumber = 'INV-3'; Amount = '99';     Currency = 'eur'; Beneficiary = 'ACME SRL'; Iban = 'RO10RZBR0000069999999971' }
              [pscustomobject]@{ InvoiceNumber = 'INV-4'; Amount = '20.00';  Currency = 'EUR'; Beneficiary = 'ACME SRL'; Iban = 'RO10RZBR0000069999999970' }
            ) | New-FinqLink
            """);
        var refs = output.Select(o => (string)o.Properties["Reference"].Value).OrderBy(r => r).ToArray();
        Assert.Equal(new[] { "INV-1", "INV-4" }, refs);
        Assert.All(output, o => Assert.StartsWith(_fixture.Sandbox.BaseUrl + "/webui/pay/", (string)o.Properties["WebUrl"].Value));
        Assert.Equal(2, _ps.Last.Errors.Count);
        var currency = _ps.Last.Errors.Single(e => e.FullyQualifiedErrorId.StartsWith("FinqLink.InvalidInput.Currency", StringComparison.Ordinal));
        Assert.Contains("ISO 4217", currency.Exception.Message);
        Assert.DoesNotContain("-Code", currency.Exception.Message);   // "code" is English here, not the redirect's field
        Assert.Equal("INV-2", PSObject.AsPSObject(currency.TargetObject).Properties["InvoiceNumber"].Value);
        var iban = _ps.Last.Errors.Single(e => e.FullyQualifiedErrorId.StartsWith("FinqLink.InvalidInput.CreditorIban", StringComparison.Ordinal));
        Assert.Contains("mod-97", iban.Exception.Message);
    }

    [Fact]
    public void Empty_csv_cells_count_as_not_given()
    {
        var link = _ps.Invoke("[pscustomobject]@{ InvoiceNumber = 'EMPTY-1'; Amount = '10'; Currency = 'RON'; Bank = ''; Iban = ''; Description = '' } | New-FinqLink").Single();
        _ps.AssertNoErrors();
        Assert.Equal("EMPTY-1", link.Properties["Reference"].Value);
    }

    [Fact]
    public void New_FinqLink_WhatIf_sends_nothing()
    {
        var before = _fixture.Sandbox.Control.Counters.LinksCreated;
        var output = _ps.Invoke("New-FinqLink -Amount 10 -Currency RON -Reference whatif-1 -WhatIf");
        Assert.Empty(output);
        Assert.Equal(before, _fixture.Sandbox.Control.Counters.LinksCreated);
    }

    [Fact]
    public void Get_FinqLink_First_makes_one_request_and_pages_stream()
    {
        _ps.Invoke("1..12 | ForEach-Object { New-FinqLink -Amount $_ -Currency RON -Reference ('page-' + $_) } | Out-Null");
        var before = _fixture.Sandbox.Control.Counters.Requests;
        var first = _ps.Invoke("Get-FinqLink -First 5");
        Assert.Equal(5, first.Count);
        Assert.Equal(1, _fixture.Sandbox.Control.Counters.Requests - before);

        var all = _ps.Invoke("Get-FinqLink -PageSize 3 | ForEach-Object LinkId");
        Assert.True(all.Count >= 12);
        Assert.Equal(all.Count, all.Select(a => a.BaseObject).Distinct().Count());
    }

    [Fact]
    public void Wait_FinqLink_returns_when_the_payer_completes()
    {
        var link = _ps.Invoke("New-FinqLink -Amount 42.10 -Currency RON -ProviderId rzb_ro -Reference wait-1").Single();
        var id = (string)link.Properties["LinkId"].Value;
        _fixture.Sandbox.Control.ApproveLink(id);
        var done = _ps.Invoke("$args[0] | Wait-FinqLink -TimeoutSec 20 -PollIntervalSec 0.1", link).Single();
        Assert.Equal("completed", done.Properties["Status"].Value);
    }

    [Fact]
    public void Api_errors_become_error_records_with_stable_ids()
    {
        _ps.Invoke("Get-FinqLink -LinkId 00000000-0000-4000-8000-000000000000");
        var error = Assert.Single(_ps.Last.Errors);
        Assert.Equal("FinqLink.Api.not_found,FinqLink.PowerShell.Cmdlets.GetFinqLinkCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.StartsWith("Check the id", error.ErrorDetails.RecommendedAction);
        Assert.DoesNotContain("support", error.ErrorDetails.RecommendedAction);     // support is asked only for server faults
    }

    [Fact]
    public void Invoke_FinqRequest_calls_any_operation_with_the_sessions_auth_and_pages()
    {
        _ps.Invoke("1..3 | ForEach-Object { New-FinqLink -Amount $_ -Currency RON -Reference ('raw-' + $_) } | Out-Null");
        var provider = _ps.Invoke("Invoke-FinqRequest providers/get @{ provider_id = 'cec_ro' }").Single();
        _ps.AssertNoErrors();
        Assert.Equal("cec_ro", ((PSObject)provider.Properties["provider"].Value).Properties["provider_id"].Value);
        var items = _ps.Invoke("Invoke-FinqRequest links/list -All -ItemsProperty links -PageSize 2");
        Assert.True(items.Count >= 3);
        Assert.All(items, i => Assert.NotNull(i.Properties["link_id"].Value));
    }

    [Fact]
    public void Export_FinqLinkQrCode_writes_png_and_svg_files_named_after_the_reference()
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("finqlink-qr-").FullName;
        try
        {
            var files = _ps.Invoke("New-FinqLink -Amount 9.99 -Currency RON -Reference QR-1 | Export-FinqLinkQrCode -Path $args[0]; Get-FinqLink -First 1 | Export-FinqLinkQrCode -Path $args[0] -Format Svg -Name qr-svg", dir);
            _ps.AssertNoErrors();
            var png = System.IO.File.ReadAllBytes(System.IO.Path.Combine(dir, "QR-1.png"));
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png.Take(4).ToArray());
            Assert.Contains("<svg", System.IO.File.ReadAllText(System.IO.Path.Combine(dir, "qr-svg.svg")));
            Assert.Equal(2, files.Count);
        }
        finally { System.IO.Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Stopping_the_pipeline_cancels_a_wait()
    {
        var link = _ps.Invoke("New-FinqLink -Amount 3 -Currency RON -Reference stop-1").Single();
        // Stopped once its progress says it is waiting, between two polls of the link.
        var stopped = _ps.StopWhenProgress(p => p.StatusDescription.Contains("waiting:", StringComparison.Ordinal), "$args[0] | Wait-FinqLink -TimeoutSec 600 -PollIntervalSec 5", link);
        Assert.True(stopped < TimeSpan.FromSeconds(5), $"Wait-FinqLink took {stopped} to stop");
    }

    public void Dispose() => _ps.Dispose();
}
