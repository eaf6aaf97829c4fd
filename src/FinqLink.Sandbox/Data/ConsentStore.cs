using System;
using System.Collections.Concurrent;
using System.Collections.Generic;

namespace FinqLink.Sandbox.Data;

/// <summary>The consents, by id and by web id.</summary>
public sealed class ConsentStore
{
    private readonly ConcurrentDictionary<string, Consent> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Consent> _byWebId = new(StringComparer.Ordinal);

    public void Add(Consent consent)
    {
        _byId[consent.ConsentId] = consent;
        _byWebId[consent.WebId] = consent;
    }

    public Consent? FindById(string consentId) => _byId.GetValueOrDefault(consentId);

    public Consent? FindByWebId(string webId) => _byWebId.GetValueOrDefault(webId);
}
