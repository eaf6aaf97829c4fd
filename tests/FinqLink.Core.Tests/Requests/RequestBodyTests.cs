using System;
using System.Collections;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using FinqLink.Core.Tests.Fakes;
using FinqLink.Options;
using FinqLink.Requests;
using FinqLink.Validation;
using Xunit;

namespace FinqLink.Core.Tests.Requests;

/// <summary>What the typed requests put on the wire: the documented fields, the session's credentials, and AdditionalProperties over them.</summary>
public sealed class RequestBodyTests
{
    private static JsonObject Sent(ScriptedHandler handler, int index = 0) => (JsonObject)JsonNode.Parse(handler.ApiRequests[index].Body)!;

    private static ScriptedHandler LinkAnswers() =>
        new() { WhenScriptEnds = () => ScriptedHandler.Json(HttpStatusCode.OK, """{"link_id":"0f5b3a1e-1111-4222-8333-944445555666","web_url":"https://pay.example/x"}""") };

    [Fact]
    public async Task A_link_body_has_every_field_once_with_the_session_credentials()
    {
        var handler = LinkAnswers();
        using var client = TestClients.For(handler);
        await client.Links.CreateAsync(new LinkCreateOptions
        {
            Amount = "1250.5", Currency = "ron", CreditorName = " Școala ", CreditorIban = "RO49 AAAA 1B31 0075 9384 0000", RemittanceInformation = "F-1",
            ProviderId = new[] { "bt_ro", " " }, PaymentScheme = new[] { "sepa" }, ExpiresIn = TimeSpan.FromDays(2), UserEditable = false, TrackingUserId = "u-1",
        });
        var expected = JsonNode.Parse("""
            {"single_transfer":{"amount":"1250.50","currency":"RON","creditor":{"name":"Școala","iban":"RO49AAAA1B31007593840000"},"remittance_information":"F-1"},
             "payment_method":{"provider_id":["bt_ro"],"payment_scheme":["SEPA"]},
             "options":{"expires_in":172800,"user_editable":false},"tracking":{"tenant_user_id":"u-1"},
             "client_id":"client-1","client_secret":"secret"}
            """);
        Assert.True(JsonNode.DeepEquals(expected, Sent(handler)), Sent(handler).ToJsonString());
    }

    [Fact]
    public async Task AdditionalProperties_add_and_override_fields_nested_ones_deeply()
    {
        var handler = LinkAnswers();
        using var client = TestClients.For(handler);
        await client.Links.CreateAsync(new LinkCreateOptions
        {
            Amount = 5m, Currency = "RON", UxTemplate = "cards",
            AdditionalProperties = new Hashtable { ["options"] = new Hashtable { ["ux_template"] = "glass" }, ["metadata"] = new Hashtable { ["order"] = "A-1" } },
        });
        var body = Sent(handler);
        Assert.Equal("glass", (string?)body["options"]!["ux_template"]);
        Assert.Equal("A-1", (string?)body["metadata"]!["order"]);
        Assert.Equal("5.00", (string?)body["single_transfer"]!["amount"]);
        Assert.Equal("client-1", (string?)body["client_id"]);
    }

    [Fact]
    public void AdditionalProperties_cannot_set_the_credentials()
    {
        var e = Assert.Throws<FinqLinkValidationException>(() => RequestValidator.Link(new LinkCreateOptions
        {
            Amount = 5m, Currency = "RON", AdditionalProperties = new Hashtable { ["client_secret"] = "x" },
        }));
        Assert.Contains("client_secret", e.Message);
    }

    [Theory]
    [InlineData("amount")]
    [InlineData("Currency")]
    public void AdditionalProperties_cannot_change_the_rows_amount_or_currency(string name)
    {
        var e = Assert.Throws<FinqLinkValidationException>(() => RequestValidator.Link(new LinkCreateOptions
        {
            Amount = 5m, Currency = "RON", AdditionalProperties = new Hashtable { ["single_transfer"] = new Hashtable { [name] = "999.00" } },
        }));
        Assert.Equal(ApiFields.Extra, e.Field);
        Assert.Contains($"single_transfer.{name}", e.Message);
        var replaced = Assert.Throws<FinqLinkValidationException>(() => RequestValidator.Link(new LinkCreateOptions
        {
            Amount = 5m, Currency = "RON", AdditionalProperties = new Hashtable { ["single_transfer"] = "999.00 RON" },
        }));
        Assert.Contains("do not replace it", replaced.Message);
        var asJson = Assert.Throws<FinqLinkValidationException>(() => RequestValidator.Link(new LinkCreateOptions
        {
            Amount = 5m, Currency = "RON", AdditionalProperties = new Hashtable { ["single_transfer"] = JsonNode.Parse("{\"end_to_end_id\":\"E2E-1\"}") },
        }));
        Assert.Contains("do not replace it", asJson.Message);
    }

    [Fact]
    public void AdditionalProperties_may_add_other_fields_to_single_transfer()
    {
        var request = RequestValidator.Link(new LinkCreateOptions
        {
            Amount = 5m, Currency = "RON", AdditionalProperties = new Hashtable { ["single_transfer"] = new Hashtable { ["end_to_end_id"] = "E2E-1" } },
        });
        var sent = FinqLink.Services.LinkService.Describe(request);
        Assert.Contains("\"end_to_end_id\":\"E2E-1\"", sent);
        Assert.Contains("\"amount\":\"5.00\"", sent);
    }

    [Fact]
    public void A_slot_expiry_wins_over_AdditionalProperties_and_leaves_the_request_as_it_was()
    {
        var request = RequestValidator.Link(new LinkCreateOptions
        {
            Amount = 5m, Currency = "RON", AdditionalProperties = new Hashtable { ["options"] = new Hashtable { ["expires_in"] = 60 } },
        });
        var slotted = request.WithExpiresIn(604_810);
        Assert.Contains("\"expires_in\":604810", FinqLink.Services.LinkService.Describe(slotted));
        Assert.Contains("\"expires_in\":60", FinqLink.Services.LinkService.Describe(request));
        Assert.Equal(604_810, RequestValidator.Link(new LinkCreateOptions { Amount = 5m, Currency = "RON" }).WithExpiresIn(604_810).Options!.ExpiresIn);
    }

    [Fact]
    public async Task A_body_with_no_fields_is_the_credentials_alone()
    {
        var handler = new ScriptedHandler();
        using var client = TestClients.For(handler);
        await client.Providers.ListAsync();
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"client_id":"client-1","client_secret":"secret"}"""), Sent(handler)), handler.ApiRequests[0].Body);
    }

    [Fact]
    public void The_amount_is_read_once_with_its_culture_and_refused_once()
    {
        var request = RequestValidator.Link(new LinkCreateOptions { Amount = "1.250,50", AmountCulture = System.Globalization.CultureInfo.GetCultureInfo("ro-RO"), Currency = "RON" });
        Assert.Equal(1250.50m, request.Amount);
        Assert.Equal("1250.50", request.SingleTransfer.Amount);
        var e = Assert.Throws<FinqLinkValidationException>(() => RequestValidator.Link(new LinkCreateOptions { Amount = "12,50", Currency = "XYZ" }));
        Assert.Equal(ApiFields.Amount, e.Field);
    }
}
