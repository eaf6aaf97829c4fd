using System;
using System.Linq;
using System.Text.Json.Nodes;
using FinqLink.Sandbox.Api;
using FinqLink.Sandbox.Auth;
using FinqLink.Sandbox.Faults;
using FinqLink.Sandbox.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FinqLink.Sandbox.Control;

/// <summary>
/// The control API under /sandbox/ (not part of FinqLink): the HTTP face of <see cref="SandboxControl"/>. Bodies are
/// JSON objects (an empty body counts as {}); unknown fields and out-of-range values are 400 and change nothing;
/// errors have the API's flat shape.
/// </summary>
public static class ControlEndpoints
{
    public static void MapSandboxControl(this IEndpointRouteBuilder app)
    {
        var control = app.ServiceProvider.GetRequiredService<SandboxControl>();
        var group = app.MapGroup("/sandbox");

        group.MapGet("/stats", () => Stats(control.Counters));
        group.MapGet("/webhooks", () => Results.Json(control.WebhookLog.Select(d => new
        {
            id = d.Id, url = d.Url, type = d.Type, body = d.Body, kid = d.Kid, attempts = d.Attempts, last_status = d.LastStatus, delivered = d.Delivered,
        })));
        group.Post("/webhooks/trigger", (_, body) =>
        {
            ControlInput.Only(body, "type", "id", "status", "url");
            var delivery = control.TriggerWebhook(ControlInput.Required(Text(body, "type"), "type"), ControlInput.Required(Text(body, "id"), "id"),
                Text(body, "status"), Fields.String(body, "url", "url"));
            return new JsonObject { ["delivery_id"] = delivery.Id, ["url"] = delivery.Url, ["kid"] = delivery.Kid, ["body"] = delivery.Body };
        });
        group.MapWebhookLog(control.Webhooks);
        group.MapGet("/tls/rejections", () => Results.Json(control.RejectedClientCertificates));

        group.MapGet("/links", (string? client_id) => Results.Json(new JsonObject
        {
            ["links"] = new JsonArray(control.Links(client_id).Select(l => (JsonNode?)new JsonObject
            {
                ["link_id"] = l.LinkId, ["client_id"] = l.ClientId, ["status"] = l.Status, ["created_at"] = Json.Time(l.CreatedAt),
                ["expires_at"] = Json.Time(l.ExpiresAt), ["single_transfer"] = l.SingleTransfer.DeepClone(),
            }).ToArray()),
        }));
        group.Post("/links/{id}/approve", (id, body) =>
            control.ApproveLink(id, Text(ControlInput.Only(body, "provider_id", "scenario"), "provider_id"), Text(body, "scenario")));
        group.Post("/links/{id}/reject", (id, body) => control.RejectLink(Id(id, body)));
        group.Post("/links/{id}/status", (id, body) => control.SetLinkStatus(id, Status(body)));
        group.Post("/consents/{id}/approve", (id, body) => new JsonObject
        {
            ["redirect_code"] = control.ApproveConsent(id, Text(ControlInput.Only(body, "provider_id", "scenario"), "provider_id"), Text(body, "scenario")),
        });
        group.Post("/consents/{id}/reject", (id, body) => control.RejectConsent(Id(id, body)));
        group.Post("/consents/{id}/status", (id, body) => control.SetConsentStatus(id, Status(body)));
        group.Post("/jobs/{id}/status", (id, body) => control.SetJobStatus(id, Status(body)));

        group.Post("/keys/rotate", (_, body) => new JsonObject { ["kid"] = control.Keys.Rotate(RotationAlgorithm(body)) });

        group.MapGet("/clients", () => Results.Json(new JsonObject { ["clients"] = control.Clients.Describe() }));
        group.Post("/clients", (_, body) => RegisterClient(control.Clients, body));

        group.MapGet("/faults", () => Results.Json(FaultsJson(control.Faults)));
        group.Post("/faults", (_, body) =>
        {
            ControlInput.Only(body, "rules", "seed");
            var rules = body["rules"] as JsonArray ?? throw ApiException.Validation("rules", "is required: an array of fault rules (send [] or DELETE to clear)");
            var parsed = rules.Select((r, i) => ControlInput.Parse($"rules[{i}]", () => FaultRule.FromJson(r))).ToList();
            control.SetFaults(parsed, (int?)ControlInput.Integer(body, "seed", int.MinValue, int.MaxValue));
            return FaultsJson(control.Faults);
        });
        group.MapDelete("/faults", () => { control.ClearFaults(); return Results.NoContent(); });

        group.MapGet("/settings", () => Results.Json(SettingsJson.Write(control.Settings)));
        group.Post("/settings", (_, body) => SettingsJson.Apply(control.Settings, body));

        group.MapGet("/clock", () => Results.Json(ClockJson.Write(control.Clock)));
        group.Post("/clock", (_, body) => ClockJson.Apply(control.Clock, body));
    }

    /// <summary>A POST whose action answers a JSON object; actions without an answer reply <c>{"ok":true}</c>.</summary>
    private static void Post(this RouteGroupBuilder group, string pattern, Action<string, JsonObject> action) =>
        group.Post(pattern, (id, body) => { action(id, body); return new JsonObject { ["ok"] = true }; });

    private static void Post(this RouteGroupBuilder group, string pattern, Func<string, JsonObject, JsonObject> action) =>
        group.MapPost(pattern, async (HttpContext http) =>
        {
            var body = await JsonBody.ReadObjectAsync(http.Request, emptyAsObject: true);
            return Results.Json(action((string?)http.Request.RouteValues["id"] ?? "", body));
        });

    private static IResult Stats(Counters c) => Results.Json(new
    {
        requests = c.Requests, links_created = c.LinksCreated, duplicate_links = c.DuplicateLinks, consents_created = c.ConsentsCreated,
        jobs_created = c.JobsCreated, faults_injected = c.FaultsInjected, tokens_issued = c.TokensIssued,
    });

    private static JsonObject FaultsJson(FaultPlan faults) => new() { ["rules"] = new JsonArray(faults.Rules.Select(r => (JsonNode?)r.ToJson()).ToArray()) };

    private static JsonObject RegisterClient(ClientRegistry clients, JsonObject body)
    {
        var replace = Fields.Bool(body, "replace", "replace") ?? false;
        var fields = (JsonObject)body.DeepClone();
        fields.Remove("replace");
        var client = ControlInput.Parse("client", () => ClientRegistry.FromJson(fields));
        if (!clients.TryRegister(client, replace))
            throw new ApiException(409, "conflict", $"client_id: {client.ClientId} is already registered; send \"replace\": true to replace it");
        return new JsonObject { ["ok"] = true, ["client_id"] = client.ClientId };
    }

    private static string RotationAlgorithm(JsonObject body)
    {
        var alg = Text(ControlInput.Only(body, "alg"), "alg") ?? "RS256";
        return alg is "RS256" or "ES256" ? alg : throw ApiException.Validation("alg", "must be RS256 or ES256");
    }

    private static string Id(string id, JsonObject body)
    {
        ControlInput.Only(body);
        return id;
    }

    private static string? Text(JsonObject body, string name) => Fields.String(body, name, name, 64);

    private static string Status(JsonObject body) => ControlInput.Required(Text(ControlInput.Only(body, "status"), "status"), "status");
}
