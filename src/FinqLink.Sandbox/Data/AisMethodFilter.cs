using System.Linq;
using System.Text.Json.Nodes;
using FinqLink.Sandbox.Api;
using FinqLink.Sandbox.Pay;

namespace FinqLink.Sandbox.Data;

/// <summary>The <c>ais_method</c> filter of consents/create: provider_id, account_owner_type, interface_env.</summary>
public static class AisMethodFilter
{
    public static AisMethod[] Select(JsonObject? filter)
    {
        filter ??= new JsonObject();
        var providers = Fields.StringList(filter, "provider_id", "ais_method.provider_id");
        foreach (var id in providers ?? new())
            if (ProviderCatalog.Find(id) is null) throw ApiException.Validation("ais_method.provider_id", $"'{id}' is not a known provider");
        var owners = Fields.StringList(filter, "account_owner_type", "ais_method.account_owner_type");
        var env = Fields.String(filter, "interface_env", "ais_method.interface_env", 16);
        var methods = ProviderCatalog.All.SelectMany(p => p.AisMethods)
            .Where(m => providers is null || providers.Contains(m.ProviderId))
            .Where(m => owners is null || m.AccountOwnerTypes.Intersect(owners).Any())
            .Where(m => env is null || m.InterfaceEnv == env)
            .ToArray();
        if (methods.Length == 0) throw new ApiException(400, "method_selection_error", "ais_method: no AIS method matches the selection");
        return methods;
    }
}
