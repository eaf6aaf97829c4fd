using System;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FinqLink.Sandbox.Api;

namespace FinqLink.Sandbox.Infrastructure;

/// <summary>Keyset pagination: <c>pagination.limit</c> (1–250, default 50) and an opaque <c>after</c> cursor.</summary>
public readonly record struct PageRequest(int Limit, long? After)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 250;

    public static PageRequest From(JsonObject body)
    {
        var pagination = Fields.Object(body, "pagination", "pagination");
        if (pagination is null) return new PageRequest(DefaultLimit, null);
        var limit = Fields.Integer(pagination, "limit", "pagination.limit") ?? DefaultLimit;
        if (limit < 1 || limit > MaxLimit) throw ApiException.Validation("pagination.limit", $"must be between 1 and {MaxLimit}");
        var after = Fields.String(pagination, "after", "pagination.after", 256);
        return new PageRequest((int)limit, after is null ? null : Keyset.Decode(after));
    }

    /// <summary>The response's pagination object; <paramref name="lastKey"/> is the last item's key.</summary>
    public static JsonObject Reply(int count, bool more, long? lastKey) => new()
    {
        ["count"] = count,
        ["more?"] = more,
        ["after"] = lastKey is null ? null : Keyset.Encode(lastKey.Value),
    };
}

public static class Keyset
{
    // Far beyond any real position, and far from overflowing when a page steps past it.
    private const long MaxKey = 1L << 53;

    public static string Encode(long key) => Base64Url.EncodeToString(Encoding.ASCII.GetBytes("{\"k\":" + key + "}"));

    /// <summary>
    /// The key of a cursor this API issued. Anything else (not base64url, not JSON, not {"k":&lt;integer&gt;}, a key out of
    /// range, or a spelling Encode would not write) is a 400, never a fault of the sandbox.
    /// </summary>
    public static long Decode(string cursor)
    {
        try
        {
            using var json = JsonDocument.Parse(Base64Url.DecodeFromChars(cursor));
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("k", out var k)
                && k.ValueKind == JsonValueKind.Number && k.TryGetInt64(out var key) && key is >= -MaxKey and <= MaxKey && Encode(key) == cursor)
                return key;
        }
        catch (Exception e) when (e is FormatException or JsonException) { }
        throw ApiException.Validation("pagination.after", "is not a cursor issued by this API");
    }
}
