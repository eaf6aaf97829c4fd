using System.Linq;
using System.Text.Json.Nodes;

namespace FinqLink.Sandbox.Pay;

/// <summary>Provider, payment-method and AIS-method bodies; v1 writes remitter_type as a string, v2 as an array.</summary>
public static class ProviderJson
{
    public static JsonObject Method(PaymentMethod method, bool asArray, bool withSchema = false)
    {
        var json = new JsonObject
        {
            ["id"] = method.Id,
            ["provider_id"] = method.ProviderId,
            ["remitter_type"] = asArray ? new JsonArray(method.RemitterTypes.Select(r => (JsonNode?)r).ToArray()) : method.RemitterTypes[0],
            ["payment_scheme"] = method.PaymentScheme,
            ["env"] = method.Env,
        };
        if (withSchema) json["validation_schema"] = ValidationSchema(method);
        return json;
    }

    public static JsonObject AisMethod(AisMethod method) => new()
    {
        ["id"] = method.Id,
        ["provider_id"] = method.ProviderId,
        ["account_owner_type"] = new JsonArray(method.AccountOwnerTypes.Select(r => (JsonNode?)r).ToArray()),
        ["interface_type"] = method.InterfaceType,
        ["interface_env"] = method.InterfaceEnv,
    };

    /// <summary>The bank a link or consent went through, as links/get, consents/get and jobs/get show it.</summary>
    public static JsonObject ServiceProvider(string providerId)
    {
        var provider = ProviderCatalog.Find(providerId)!;
        return new JsonObject { ["provider_id"] = provider.ProviderId, ["name"] = provider.Name, ["bic"] = provider.Bic };
    }

    /// <summary>A JSON Schema for a single_transfer this method accepts.</summary>
    private static JsonObject ValidationSchema(PaymentMethod method) => new()
    {
        ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
        ["type"] = "object",
        ["required"] = new JsonArray("amount", "currency"),
        ["properties"] = new JsonObject
        {
            ["amount"] = new JsonObject { ["type"] = "string", ["pattern"] = Api.Fields.AmountSyntax },
            ["currency"] = new JsonObject { ["enum"] = method.PaymentScheme == "SEPA" ? new JsonArray("EUR") : new JsonArray("RON", "EUR") },
            ["remittance_information"] = new JsonObject { ["type"] = "string", ["maxLength"] = 140 },
        },
    };
}
