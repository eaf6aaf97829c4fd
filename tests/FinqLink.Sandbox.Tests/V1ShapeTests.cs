using System.Linq;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace FinqLink.Sandbox.Tests;

/// <summary>v1 answers in v1's shapes on every endpoint: remitter_type a string, no AIS methods, links/list without paging, no funds_* statuses.</summary>
public sealed class V1ShapeTests : IClassFixture<SandboxFixture>
{
    private readonly SandboxFixture _f;

    public V1ShapeTests(SandboxFixture fixture) => _f = fixture;

    private async Task<string> PaidLibraLink()
    {
        var body = SandboxFixture.Transfer();
        body["payment_method"] = new JsonObject { ["provider_id"] = "libra_ro" };
        var id = (string)(await _f.Post("/v1/links/create", body)).Body["link_id"]!;
        _f.Sandbox.Control.ApproveLink(id);
        await SandboxHttp.Until(async () => await _f.Status("/v2/links/get", new JsonObject { ["link_id"] = id }) == "funds_received", "funds_received");
        return id;
    }

    [Theory]
    [InlineData("/v1", false)]
    [InlineData("/test/v1", false)]
    [InlineData("/v2", true)]
    public async Task Links_get_writes_the_selected_methods_remitter_type_as_its_version_does(string prefix, bool asArray)
    {
        var id = await PaidLibraLink();
        var link = (await _f.Post(prefix + "/links/get", new JsonObject { ["link_id"] = id })).Body;
        var remitter = link["payment_method"]!["remitter_type"]!;
        Assert.Equal(asArray, remitter is JsonArray);
        if (!asArray) Assert.Equal("retail", (string)remitter!);
        Assert.Equal("libra_ro", (string)link["service_provider"]!["provider_id"]!);
    }

    [Fact]
    public async Task V1_shows_a_link_whose_funds_arrived_as_completed_since_funds_statuses_are_new_in_v2()
    {
        var id = await PaidLibraLink();
        Assert.Equal("completed", await _f.Status("/v1/links/get", new JsonObject { ["link_id"] = id }));
        var listed = (await _f.Post("/v1/links/list", new JsonObject { ["filter"] = new JsonObject { ["status"] = "completed" } })).Body["links"]!.AsArray();
        Assert.Contains(listed, l => (string)l!["link_id"]! == id && (string)l["status"]! == "completed");
        Assert.Equal("funds_received", await _f.Status("/v2/links/get", new JsonObject { ["link_id"] = id }));
    }

    [Fact]
    public async Task V1_links_list_has_no_pagination_and_no_keysets()
    {
        await _f.Post("/v1/links/create", SandboxFixture.Transfer());
        var v1 = (await _f.Post("/v1/links/list", new JsonObject())).Body;
        Assert.Null(v1["pagination"]);
        Assert.All(v1["links"]!.AsArray(), l => Assert.Null(l!["keyset"]));
        var v2 = (await _f.Post("/v2/links/list", new JsonObject())).Body;
        Assert.NotNull(v2["pagination"]);
        Assert.All(v2["links"]!.AsArray(), l => Assert.NotNull(l!["keyset"]));
    }

    [Fact]
    public async Task V1_providers_have_string_remitter_types_and_no_ais_methods()
    {
        var options = new JsonObject { ["show_payment_methods"] = true, ["show_ais_methods"] = true };
        var v1 = (await _f.Post("/v1/providers/list", new JsonObject { ["options"] = options.DeepClone() })).Body["providers"]!.AsArray();
        Assert.All(v1, p =>
        {
            Assert.Null(p!["ais_methods"]);
            Assert.All(p["payment_methods"]!.AsArray(), m => Assert.IsAssignableFrom<JsonValue>(m!["remitter_type"]));
        });
        var v2 = (await _f.Post("/v2/providers/list", new JsonObject { ["options"] = options.DeepClone() })).Body["providers"]!.AsArray();
        Assert.All(v2, p => Assert.NotNull(p!["ais_methods"]));
        Assert.Equal(HttpStatusCode.NotFound, (await _f.Post("/v1/ais/accounts/list", new JsonObject())).Status);
    }
}
