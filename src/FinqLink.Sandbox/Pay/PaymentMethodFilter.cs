using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using FinqLink.Sandbox.Api;

namespace FinqLink.Sandbox.Pay;

/// <summary>The <c>payment_method</c> filter of links/create: provider_id, remitter_type, payment_scheme, env (each scalar or list).</summary>
public static class PaymentMethodFilter
{
    private static readonly string[] RemitterTypes = { "retail", "corporate" };
    private static readonly string[] Schemes = { "instant", "domestic", "SEPA" };
    private static readonly string[] Envs = { "sandbox", "stage", "prod" };

    public static PaymentMethod[] Select(JsonObject? filter)
    {
        filter ??= new JsonObject();
        var providers = Fields.StringList(filter, "provider_id", "payment_method.provider_id");
        foreach (var id in providers ?? new List<string>())
            if (ProviderCatalog.Find(id) is null) throw ApiException.Validation("payment_method.provider_id", $"'{id}' is not a known provider");
        var remitters = Allowed(filter, "remitter_type", RemitterTypes);
        var schemes = Allowed(filter, "payment_scheme", Schemes);
        var envs = Allowed(filter, "env", Envs);

        var methods = ProviderCatalog.All.SelectMany(p => p.PaymentMethods)
            .Where(m => providers is null || providers.Contains(m.ProviderId))
            .Where(m => remitters is null || m.RemitterTypes.Intersect(remitters).Any())
            .Where(m => schemes is null || schemes.Contains(m.PaymentScheme))
            .Where(m => envs is null || envs.Contains(m.Env))
            .ToArray();
        if (methods.Length == 0) throw new ApiException(400, "method_selection_error", "payment_method: no payment method matches the selection");
        return methods;
    }

    private static List<string>? Allowed(JsonObject filter, string name, string[] allowed)
    {
        var values = Fields.StringList(filter, name, "payment_method." + name);
        var bad = values?.FirstOrDefault(v => !allowed.Contains(v));
        if (bad is not null) throw ApiException.Validation("payment_method." + name, $"'{bad}' is not one of {string.Join(", ", allowed)}");
        return values;
    }
}
