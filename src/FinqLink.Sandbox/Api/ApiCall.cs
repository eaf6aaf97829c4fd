using System.Text.Json.Nodes;
using FinqLink.Sandbox.Auth;

namespace FinqLink.Sandbox.Api;

/// <summary>What an operation's handler gets: the parsed body, the authenticated client and the call's identity.</summary>
public sealed class ApiCall
{
    public ApiCall(ApiPrefix prefix, JsonObject body, RegisteredClient client, string requestId, string baseUrl)
    {
        Prefix = prefix;
        Body = body;
        Client = client;
        RequestId = requestId;
        BaseUrl = baseUrl;
    }

    public ApiPrefix Prefix { get; }
    public bool IsV1 => Prefix.IsV1;
    public JsonObject Body { get; }
    public RegisteredClient Client { get; }
    public string RequestId { get; }
    /// <summary>Scheme and host the caller used, for the web_url values handed back to it.</summary>
    public string BaseUrl { get; }

    /// <summary>Starts a 200 response with the fields every FinqLink answer carries.</summary>
    public JsonObject Reply() => new()
    {
        ["request_id"] = RequestId,
        ["api_client_app"] = Client.AppName,
    };

    public JsonObject ListReply()
    {
        var reply = Reply();
        reply["client_id"] = Client.ClientId;
        return reply;
    }
}
