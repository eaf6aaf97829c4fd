using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using FinqLink.Sandbox.Auth;
using FinqLink.Sandbox.Faults;
using FinqLink.Sandbox.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace FinqLink.Sandbox.Api;

/// <summary>
/// Every FinqLink API call: path spelling, JSON body, client authentication (body secret or Bearer token
/// plus the body's client_id), the handler, injected faults, and the flat error shape.
/// </summary>
public sealed class ApiDispatcher
{
    private const int MaxBodyBytes = 1 << 20;
    private readonly Dictionary<string, Func<ApiCall, object>> _handlers;
    private readonly ClientRegistry _clients;
    private readonly TokenStore _tokens;
    private readonly FaultPlan _faults;
    private readonly Counters _counters;
    private readonly IdGenerator _ids;
    private readonly TimeProvider _time;

    public ApiDispatcher(Dictionary<string, Func<ApiCall, object>> handlers, ClientRegistry clients, TokenStore tokens, FaultPlan faults,
        Counters counters, IdGenerator ids, TimeProvider time)
    {
        _handlers = handlers;
        _clients = clients;
        _tokens = tokens;
        _faults = faults;
        _counters = counters;
        _ids = ids;
        _time = time;
    }

    public async Task HandleAsync(HttpContext http)
    {
        _counters.Request();
        var requestId = RequestId(http);
        if (!ApiRoute.TryParse(http.Request.Path.Value ?? "", out var route) || !_handlers.TryGetValue(route.Resource, out var handler)
            || (route.IsV1 && route.Resource.StartsWith("ais/", StringComparison.Ordinal)))
        {
            await WriteError(http, requestId, new ApiException(404, "not_found", $"No API operation at {http.Request.Path}"));
            return;
        }

        var fault = _faults.Decide(route.Resource);
        if (fault.LatencyMs > 0) await Task.Delay(fault.LatencyMs, http.RequestAborted);
        if (await InjectBefore(http, requestId, fault)) return;

        object reply;
        try
        {
            var body = await ReadBody(http);
            var client = Authenticate(http, body);
            var baseUrl = $"{http.Request.Scheme}://{http.Request.Host}";
            reply = handler(new ApiCall(route, body, client, requestId, baseUrl));
        }
        catch (ApiException e)
        {
            await WriteError(http, requestId, e);
            return;
        }

        if (await InjectAfter(http, requestId, fault)) return;
        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(http.Response.BodyWriter);
        if (reply is IJsonBody streamed) streamed.Write(writer);
        else ((JsonNode)reply).WriteTo(writer);
    }

    private RegisteredClient Authenticate(HttpContext http, JsonObject body)
    {
        var clientId = Fields.String(body, "client_id", "client_id", 128);
        if (string.IsNullOrEmpty(clientId)) throw ApiException.Unauthorized("client_id is required in the JSON body");
        var client = _clients.Find(clientId) ?? throw ApiException.Unauthorized("Unknown client_id or wrong credentials");

        if (AuthenticationHeaderValue.TryParse(http.Request.Headers.Authorization, out var header) && header.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            var owner = header.Parameter is null ? null : _tokens.Validate(header.Parameter);
            if (owner is null) throw ApiException.Unauthorized("The access token is invalid or has expired");
            if (owner != clientId) throw ApiException.Unauthorized("The access token was issued to another client_id");
            return client;
        }
        var secret = Fields.String(body, "client_secret", "client_secret", 128);
        if (secret is null || client.ClientSecret is null || !TokenEndpoint.FixedTimeEquals(client.ClientSecret, secret))
            throw ApiException.Unauthorized("Unknown client_id or wrong credentials");
        return client;
    }

    private static async Task<JsonObject> ReadBody(HttpContext http)
    {
        if (http.Request.ContentLength > MaxBodyBytes) throw new ApiException(400, "bad_request", "The body is larger than 1 MiB");
        try
        {
            var node = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
            return node as JsonObject ?? throw new ApiException(400, "bad_request", "The body must be a JSON object");
        }
        catch (JsonException) { throw new ApiException(400, "bad_request", "The body is not valid JSON"); }
    }

    private async Task<bool> InjectBefore(HttpContext http, string requestId, FaultDecision fault)
    {
        switch (fault.Kind)
        {
            case FaultKind.RateLimit:
                _counters.FaultInjected();
                http.Response.Headers.RetryAfter = fault.Rule!.RetryAfterAsDate
                    ? _time.GetUtcNow().AddSeconds(fault.Rule.RetryAfterSeconds).ToString("r", CultureInfo.InvariantCulture)
                    : fault.Rule.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await WriteError(http, requestId, new ApiException(429, "rate_limited", "Too many requests; retry later"));
                return true;
            case FaultKind.FailBefore:
                _counters.FaultInjected();
                await WriteError(http, requestId, new ApiException(503, "internal_error", "The service is temporarily unavailable"));
                return true;
            case FaultKind.DropBefore:
                _counters.FaultInjected();
                http.Abort();
                return true;
            default:
                return false;
        }
    }

    private async Task<bool> InjectAfter(HttpContext http, string requestId, FaultDecision fault)
    {
        switch (fault.Kind)
        {
            case FaultKind.FailAfter:
                _counters.FaultInjected();
                await WriteError(http, requestId, new ApiException(500, "internal_server_error", "Internal server error"));
                return true;
            case FaultKind.DropAfter:
                _counters.FaultInjected();
                http.Abort();
                return true;
            default:
                return false;
        }
    }

    private string RequestId(HttpContext http)
    {
        var header = (string?)http.Request.Headers["x-request-id"];
        return !string.IsNullOrWhiteSpace(header) && header.Length <= 128 ? header : _ids.NewRequestId();
    }

    public async Task WriteError(HttpContext http, string requestId, ApiException error)
    {
        http.Response.StatusCode = error.Status;
        http.Response.ContentType = "application/json";
        var body = new JsonObject
        {
            ["error_id"] = _ids.NewUuid(), ["request_id"] = requestId, ["code"] = error.Code, ["message"] = error.Message,
        };
        await http.Response.WriteAsync(body.ToJsonString(), http.RequestAborted);
    }
}
