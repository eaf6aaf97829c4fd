using System;
using System.Collections.Generic;

namespace FinqLink.Sandbox.Pay;

/// <summary>The payment links, by id, by web id and in creation order (the keyset of links/list), and the transfers already seen.</summary>
public sealed class LinkStore
{
    private readonly object _gate = new();
    private readonly List<PaymentLink> _bySeq = new();
    private readonly Dictionary<string, PaymentLink> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PaymentLink> _byWebId = new(StringComparer.Ordinal);
    private readonly HashSet<string> _fingerprints = new(StringComparer.Ordinal);

    /// <summary>Stores the link <paramref name="create"/> makes from the next sequence number; true when <paramref name="fingerprint"/> was seen before.</summary>
    public (PaymentLink Link, bool Duplicate) Add(Func<long, PaymentLink> create, string fingerprint)
    {
        lock (_gate)
        {
            var link = create(_bySeq.Count + 1);
            _bySeq.Add(link);
            _byId[link.LinkId] = link;
            _byWebId[link.WebId] = link;
            return (link, !_fingerprints.Add(fingerprint));
        }
    }

    public PaymentLink? FindById(string linkId)
    {
        lock (_gate) return _byId.GetValueOrDefault(linkId);
    }

    public PaymentLink? FindByWebId(string webId)
    {
        lock (_gate) return _byWebId.GetValueOrDefault(webId);
    }

    /// <summary>Links newest first, starting below sequence number <paramref name="beforeSeq"/> when given.</summary>
    public IEnumerable<PaymentLink> NewestFirst(long? beforeSeq)
    {
        int start;
        lock (_gate) start = beforeSeq is { } before ? (int)Math.Clamp(before - 1, 0, _bySeq.Count) : _bySeq.Count;
        for (var i = start - 1; i >= 0; i--)
        {
            PaymentLink link;
            lock (_gate) link = _bySeq[i];
            yield return link;
        }
    }
}
