using System.Collections.Generic;
using System.Net.Http;
using System.Text;
using System.Text.Json;

namespace FinqLink.Bench;

/// <summary>
/// What a C# developer would write without the module: one HttpClient, each page read whole and parsed with
/// <see cref="JsonDocument"/>, one field read per item, the next page asked for after this one is read.
/// </summary>
public sealed class RawTransactionLoop(string baseUri)
{
    private static readonly HttpClient Http = new();
    private readonly string _url = baseUri.TrimEnd('/') + "/v2/ais/transactions/list";
    private readonly string _providers = baseUri.TrimEnd('/') + "/v2/providers/list";

    /// <summary>One providers/list: the connection open and the client warm, as Connect-FinqLink leaves the module's.</summary>
    public void Connect()
    {
        // Serialized as Count does, so neither side pays the serializer's first use inside the timed pass.
        var body = JsonSerializer.Serialize(new Dictionary<string, object?> { ["client_id"] = "demo", ["client_secret"] = "demo-secret" });
        using var response = Http.PostAsync(_providers, new StringContent(body, Encoding.UTF8, "application/json")).GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult());
    }

    public long Count(string consentId, int pageSize)
    {
        string? after = null;
        long count = 0;
        while (true)
        {
            var body = JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["client_id"] = "demo", ["client_secret"] = "demo-secret", ["consent_id"] = consentId,
                ["pagination"] = new Dictionary<string, object?> { ["limit"] = pageSize, ["after"] = after },
            });
            using var response = Http.PostAsync(_url, new StringContent(body, Encoding.UTF8, "application/json")).GetAwaiter().GetResult();
            response.EnsureSuccessStatusCode();
            using var document = JsonDocument.Parse(response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult());
            foreach (var transaction in document.RootElement.GetProperty("transactions").EnumerateArray())
            {
                _ = transaction.GetProperty("amount").GetString();
                count++;
            }
            var pagination = document.RootElement.GetProperty("pagination");
            if (!pagination.GetProperty("more?").GetBoolean()) return count;
            after = pagination.GetProperty("after").GetString();
        }
    }
}
