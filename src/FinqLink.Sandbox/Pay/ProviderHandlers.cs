using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using FinqLink.Sandbox.Api;

namespace FinqLink.Sandbox.Pay;

/// <summary>providers/list and providers/get with show_payment_methods, show_validation_schema, show_ais_methods and ais_methods_filter.</summary>
public static class ProviderHandlers
{
    private static readonly string[] OwnerTypes = { "retail", "corporate" };
    private static readonly string[] Envs = { "sandbox", "stage", "prod" };

    public static JsonObject List(ApiCall call)
    {
        var view = View.Parse(call);
        var reply = call.Reply();
        reply["providers"] = new JsonArray(ProviderCatalog.All.Select(p => (JsonNode?)view.Write(p)).ToArray());
        return reply;
    }

    public static JsonObject Get(ApiCall call)
    {
        var id = Fields.RequiredString(call.Body, "provider_id", "provider_id", 64);
        var provider = ProviderCatalog.Find(id) ?? throw ApiException.NotFound("not_found", $"provider_id: no provider '{id}'");
        var reply = call.Reply();
        reply["provider"] = View.Parse(call).Write(provider);
        return reply;
    }

    private sealed record View(bool V2, bool Methods, bool Schema, bool Ais, List<string>? OwnerTypes, string? InterfaceType, string? InterfaceEnv)
    {
        public static View Parse(ApiCall call)
        {
            var options = Fields.Object(call.Body, "options", "options") ?? new JsonObject();
            var filter = Fields.Object(options, "ais_methods_filter", "options.ais_methods_filter") ?? new JsonObject();
            var owners = Fields.StringList(filter, "account_owner_type", "options.ais_methods_filter.account_owner_type");
            var bad = owners?.FirstOrDefault(o => !ProviderHandlers.OwnerTypes.Contains(o));
            if (bad is not null) throw ApiException.Validation("options.ais_methods_filter.account_owner_type", $"'{bad}' is not retail or corporate");
            var env = Fields.String(filter, "interface_env", "options.ais_methods_filter.interface_env", 16);
            if (env is not null && !Envs.Contains(env)) throw ApiException.Validation("options.ais_methods_filter.interface_env", "must be sandbox, stage or prod");
            return new View(
                !call.IsV1,
                Fields.Bool(options, "show_payment_methods", "options.show_payment_methods") ?? false,
                Fields.Bool(options, "show_validation_schema", "options.show_validation_schema") ?? false,
                Fields.Bool(options, "show_ais_methods", "options.show_ais_methods") ?? false,
                owners, Fields.String(filter, "interface_type", "options.ais_methods_filter.interface_type", 64), env);
        }

        public JsonObject Write(Provider provider)
        {
            var json = new JsonObject { ["provider_id"] = provider.ProviderId, ["name"] = provider.Name, ["bic"] = provider.Bic, ["country"] = "RO" };
            if (Methods || Schema)
                json["payment_methods"] = new JsonArray(provider.PaymentMethods.Select(m => (JsonNode?)ProviderJson.Method(m, V2, Schema)).ToArray());
            if (Ais && V2)
                json["ais_methods"] = new JsonArray(provider.AisMethods.Where(Matches).Select(m => (JsonNode?)ProviderJson.AisMethod(m)).ToArray());
            return json;
        }

        private bool Matches(AisMethod m) =>
            (OwnerTypes is null || m.AccountOwnerTypes.Intersect(OwnerTypes).Any())
            && (InterfaceType is null || m.InterfaceType == InterfaceType)
            && (InterfaceEnv is null || m.InterfaceEnv == InterfaceEnv);
    }
}
