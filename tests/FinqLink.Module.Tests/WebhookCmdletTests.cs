using System;
using System.Linq;
using System.Text;
using FinqLink.Sandbox.Auth;
using FinqLink.Testing;
using Xunit;

namespace FinqLink.Module.Tests;

/// <summary>Webhooks as a runbook receives them: posted by the sandbox to a local listener, then verified by the cmdlets.</summary>
public sealed class WebhookCmdletTests : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SandboxFixture _fixture;
    private readonly ModuleHost _ps = new();
    private readonly WebhookReceiver _receiver = new();

    public WebhookCmdletTests(SandboxFixture fixture)
    {
        _fixture = fixture;
        _ps.Invoke("Connect-FinqLink -BaseUri $args[0] -ClientId demo -ClientSecret $args[1]", fixture.Sandbox.BaseUrl, PayCmdletTests.Secure(ClientRegistry.DemoClientSecret));
        _ps.AssertNoErrors();
    }

    // Only a ceiling for a webhook that never comes: each wait ends when the webhook arrives (a loaded machine may take long).
    private static TimeSpan Soon => TimeSpan.FromSeconds(60);

    [Fact]
    public void Received_webhooks_verify_and_become_typed_events_for_links_consents_and_refreshes()
    {
        var consentId = (string)_ps.Invoke("(New-FinqConsent -ProviderId bt_ro -WebhookUrl $args[0]).ConsentId", _receiver.Url).Single().BaseObject;
        _fixture.Sandbox.Control.ApproveConsent(consentId, "bt_ro");
        var active = _receiver.Next(r => Encoding.UTF8.GetString(r.Body).Contains("\"active\""), Soon);

        var consentEvent = _ps.Invoke("ConvertFrom-FinqWebhook -Body $args[0] -Headers $args[1]", active.Body, active.Headers).Single();
        _ps.AssertNoErrors();
        Assert.Equal("FinqLink.Webhooks.ConsentStatusUpdate", consentEvent.BaseObject.GetType().FullName);
        Assert.Equal(consentId, consentEvent.Properties["ConsentId"].Value);
        Assert.Equal("active", consentEvent.Properties["Status"].Value);

        var job = _ps.Invoke("Start-FinqDataRefresh $args[0] -CallbackUrl $args[1]", consentId, _receiver.Url).Single();
        var completed = _receiver.Next(r => Encoding.UTF8.GetString(r.Body).Contains("job_completed"), Soon);
        var jobEvent = _ps.Invoke("ConvertFrom-FinqWebhook -Body ([Text.Encoding]::UTF8.GetString($args[0])) -Headers $args[1] | Get-FinqDataRefresh", completed.Body, completed.Headers).Single();
        _ps.AssertNoErrors();
        Assert.Equal(job.Properties["JobId"].Value, jobEvent.Properties["JobId"].Value);
        Assert.Equal("job_completed", jobEvent.Properties["Status"].Value);

        var link = _ps.Invoke("New-FinqLink -Amount 10 -Currency RON -WebhookUrl $args[0]", _receiver.Url).Single();
        var linkId = (string)link.Properties["LinkId"].Value;
        _fixture.Sandbox.Control.ApproveLink(linkId, "bt_ro");
        var linkHook = _receiver.Next(r => Encoding.UTF8.GetString(r.Body).Contains(linkId), Soon);
        var asHashtable = linkHook.Headers.AllKeys.ToDictionary(k => k!.ToUpperInvariant(), k => (object?)linkHook.Headers[k]);
        var linkEvent = _ps.Invoke("ConvertFrom-FinqWebhook -Body $args[0] -Headers $args[1]", Encoding.UTF8.GetString(linkHook.Body), asHashtable).Single();
        _ps.AssertNoErrors();
        Assert.Equal("FinqLink.Webhooks.LinkStatusUpdate", linkEvent.BaseObject.GetType().FullName);
        Assert.Equal(linkId, linkEvent.Properties["LinkId"].Value);
    }

    [Fact]
    public void Across_key_rotation_the_previous_kid_verifies_and_a_removed_kid_is_rejected()
    {
        var keys = _fixture.Sandbox.Control.Keys;
        var link = _ps.Invoke("New-FinqLink -Amount 11 -Currency RON -WebhookUrl $args[0]", _receiver.Url).Single();
        var linkId = (string)link.Properties["LinkId"].Value;
        _fixture.Sandbox.Control.SetLinkStatus(linkId, "started");
        var signedByOld = _receiver.Next(r => Encoding.UTF8.GetString(r.Body).Contains(linkId), Soon);
        var oldKid = signedByOld.Headers["x-signature-kid"];
        Assert.True(Verifies(signedByOld));

        var newKid = keys.Rotate("ES256");
        _fixture.Sandbox.Control.SetLinkStatus(linkId, "requested");
        var signedByNew = _receiver.Next(r => Encoding.UTF8.GetString(r.Body).Contains("requested"), Soon);
        Assert.Equal(newKid, signedByNew.Headers["x-signature-kid"]);
        Assert.True(Verifies(signedByNew), "a new kid is fetched once and verifies");
        Assert.True(Verifies(signedByOld), "the previous kid stays valid after one rotation");

        var newestKid = keys.Rotate();
        _fixture.Sandbox.Control.SetLinkStatus(linkId, "awaiting_authz");
        var signedByNewest = _receiver.Next(r => Encoding.UTF8.GetString(r.Body).Contains("awaiting_authz"), Soon);
        Assert.Equal(newestKid, signedByNewest.Headers["x-signature-kid"]);
        Assert.True(Verifies(signedByNewest));
        Assert.False(Verifies(signedByOld), "a kid rotated out of the JWKS is rejected once the JWKS is fetched again");
        Assert.Contains(_ps.Last.Verbose, v => v.Contains(oldKid!) && v.Contains("not in FinqLink's JWKS"));
        var published = _ps.Invoke("Get-FinqWebhookKey -Refresh");
        Assert.Equal(2, published.Count);
        Assert.Equal(newKid, published[1].Properties["KeyId"].Value);
    }

    [Fact]
    public void Tampered_or_forged_webhooks_are_rejected_by_both_cmdlets()
    {
        var link = _ps.Invoke("New-FinqLink -Amount 12 -Currency RON -WebhookUrl $args[0]", _receiver.Url).Single();
        var linkId = (string)link.Properties["LinkId"].Value;
        _fixture.Sandbox.Control.SetLinkStatus(linkId, "completed");
        var genuine = _receiver.Next(r => Encoding.UTF8.GetString(r.Body).Contains(linkId), Soon);
        var body = Encoding.UTF8.GetString(genuine.Body);
        var signature = genuine.Headers["x-signature"]!;
        var kid = genuine.Headers["x-signature-kid"]!;

        Assert.True((bool)_ps.Invoke("Test-FinqWebhookSignature -Body $args[0] -Signature $args[1] -KeyId $args[2]", body, signature, kid).Single().BaseObject);
        var forged = body.Replace("completed", "funds_received");
        Assert.False((bool)_ps.Invoke("Test-FinqWebhookSignature -Body $args[0] -Signature $args[1] -KeyId $args[2] -Verbose", forged, signature, kid).Single().BaseObject);
        Assert.Contains(_ps.Last.Verbose, v => v.Contains("differs from the body"));
        Assert.False((bool)_ps.Invoke("Test-FinqWebhookSignature -Body $args[0] -Signature $args[1] -KeyId other-kid", body, signature).Single().BaseObject);

        var events = _ps.Invoke("ConvertFrom-FinqWebhook -Body $args[0] -Signature $args[1] -KeyId $args[2]", forged, signature, kid);
        Assert.Empty(events);
        Assert.StartsWith("FinqLink.WebhookInvalid", _ps.Last.Errors.Single().FullyQualifiedErrorId);

        var jwks = _ps.Invoke("Get-FinqWebhookKey");
        Disconnect();
        Assert.True((bool)_ps.Invoke("Test-FinqWebhookSignature -Body $args[0] -Signature $args[1] -KeyId $args[2] -Jwks $args[3]", body, signature, kid, jwks.Select(k => k.BaseObject).ToArray()).Single().BaseObject);
    }

    private bool Verifies(WebhookReceiver.Received webhook)
    {
        var result = _ps.Invoke("Test-FinqWebhookSignature -Body $args[0] -Headers $args[1] -Verbose", webhook.Body, webhook.Headers).Single();
        _ps.AssertNoErrors();
        return (bool)result.BaseObject;
    }

    private void Disconnect() => _ps.Invoke("Disconnect-FinqLink");

    public void Dispose()
    {
        _receiver.Dispose();
        _ps.Dispose();
    }
}
