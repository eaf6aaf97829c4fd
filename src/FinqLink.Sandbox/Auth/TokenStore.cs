using System;
using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace FinqLink.Sandbox.Auth;

/// <summary>Issued access tokens (opaque) and the client-assertion ids already used.</summary>
public sealed class TokenStore(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (string ClientId, DateTimeOffset ExpiresAt)> _tokens = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _usedAssertionIds = new();

    public string Issue(string clientId, TimeSpan lifetime)
    {
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        _tokens[token] = (clientId, time.GetUtcNow() + lifetime);
        return token;
    }

    /// <summary>The client a live token belongs to, or null when it is unknown or expired.</summary>
    public string? Validate(string token)
    {
        if (!_tokens.TryGetValue(token, out var entry)) return null;
        if (entry.ExpiresAt > time.GetUtcNow()) return entry.ClientId;
        _tokens.TryRemove(token, out _);
        return null;
    }

    /// <summary>Records a jti; false when it was seen before (a replayed assertion).</summary>
    public bool TryUseAssertionId(string clientId, string jti, DateTimeOffset expiresAt)
    {
        var now = time.GetUtcNow();
        foreach (var old in _usedAssertionIds)
            if (old.Value < now) _usedAssertionIds.TryRemove(old.Key, out _);
        return _usedAssertionIds.TryAdd(clientId + "\n" + jti, expiresAt);
    }
}
