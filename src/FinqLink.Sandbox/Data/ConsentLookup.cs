using FinqLink.Sandbox.Api;

namespace FinqLink.Sandbox.Data;

/// <summary>The consent an AIS call names in <c>consent_id</c>, which must belong to the calling client.</summary>
public sealed class ConsentLookup(ConsentLifecycle lifecycle)
{
    public Consent Find(ApiCall call)
    {
        var id = Fields.RequiredString(call.Body, "consent_id", "consent_id", 128);
        var consent = lifecycle.Find(id);
        if (consent is null || consent.ClientId != call.Client.ClientId)
            throw ApiException.NotFound("consent_not_found", $"consent_id: no consent {id} exists for this API client");
        return consent;
    }

    /// <summary>The consent for a data call or a refresh: it must be active (400 consent_not_active otherwise).</summary>
    public Consent FindActive(ApiCall call)
    {
        var consent = Find(call);
        lock (consent)
            if (consent.Status != ConsentStatus.Active)
                throw new ApiException(400, "consent_not_active", $"consent_id: the consent is {consent.Status}, not active");
        return consent;
    }
}
