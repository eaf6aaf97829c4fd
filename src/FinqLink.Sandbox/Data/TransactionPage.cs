using System;
using System.Text.Json;
using System.Threading.Tasks;
using FinqLink.Sandbox.Api;
using FinqLink.Sandbox.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace FinqLink.Sandbox.Data;

/// <summary>A transactions/list answer, written straight to the response as it is generated (pages of a million-transaction consent).</summary>
public sealed class TransactionPage(ApiCall call, string consentId, AccountData data, TransactionFilter filter, PageRequest page) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(httpContext.Response.BodyWriter);
        Write(writer);
    }

    private void Write(Utf8JsonWriter w)
    {
        var (first, end) = filter.IndexRange(data);
        if (page.After is { } after) first = Math.Max(first, after + 1);
        w.WriteStartObject();
        w.WriteString("request_id", call.RequestId);
        w.WriteString("api_client_app", call.Client.AppName);
        w.WriteString("client_id", call.Client.ClientId);
        w.WriteString("consent_id", consentId);
        w.WriteStartArray("transactions");
        var count = 0;
        long last = 0;
        var more = false;
        for (var i = first; i < end; i++)
        {
            var t = data.Transaction(i);
            if (!filter.Matches(t)) continue;
            if (count == page.Limit) { more = true; break; }
            t.Write(w);
            count++;
            last = i;
        }
        w.WriteEndArray();
        w.WriteStartObject("pagination");
        w.WriteNumber("count", count);
        w.WriteBoolean("more?", more);
        if (more) w.WriteString("after", Keyset.Encode(last)); else w.WriteNull("after");
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
