using System;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace FinqLink.Sandbox.Tests;

/// <summary>Talking to a sandbox as a raw HTTP client, independently of FinqLinkClient.</summary>
internal static class SandboxHttp
{
    /// <summary>
    /// POSTs <paramref name="body"/> as JSON and reads the JSON answer. Unless <paramref name="credentials"/> is false, the
    /// body gets the demo client's id, and its secret when no <paramref name="bearer"/> token is given (fields already set stay).
    /// </summary>
    public static async Task<(HttpStatusCode Status, JsonObject Body)> PostJson(this HttpClient http, string url, JsonObject body, string? bearer = null, bool credentials = true)
    {
        if (credentials)
        {
            body["client_id"] ??= "demo";
            if (bearer is null) body["client_secret"] ??= "demo-secret";
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        if (bearer != null) request.Headers.Authorization = new("Bearer", bearer);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    /// <summary>
    /// Polls <paramref name="condition"/> every 25 ms for up to 30 s (generous: a condition that holds costs nothing more,
    /// and a busy machine may take seconds); fails the test with <paramref name="what"/> when it never holds.
    /// </summary>
    public static async Task Until(Func<Task<bool>> condition, string what = "the condition")
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return;
            await Task.Delay(25);
        }
        Assert.Fail($"timed out waiting for {what}");
    }
}
