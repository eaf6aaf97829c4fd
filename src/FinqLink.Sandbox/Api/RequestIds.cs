using FinqLink.Sandbox.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace FinqLink.Sandbox.Api;

/// <summary>A request's <c>request_id</c>: the caller's x-request-id header when it sends a usable one, else a new id; the same for the whole request.</summary>
public sealed class RequestIds(IdGenerator ids)
{
    private static readonly object ItemKey = new();

    public string Of(HttpContext http)
    {
        if (http.Items.TryGetValue(ItemKey, out var known)) return (string)known!;
        var header = (string?)http.Request.Headers["x-request-id"];
        var id = !string.IsNullOrWhiteSpace(header) && header.Length <= 128 ? header : ids.NewRequestId();
        http.Items[ItemKey] = id;
        return id;
    }
}
