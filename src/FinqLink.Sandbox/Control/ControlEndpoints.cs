using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using FinqLink.Sandbox.Api;
using FinqLink.Sandbox.Auth;
using FinqLink.Sandbox.Faults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FinqLink.Sandbox.Control;

/// <summary>The control API under /sandbox/ (not part of FinqLink): the HTTP face of <see cref="SandboxControl"/>.</summary>
public static class ControlEndpoints
{
    public static void Map(IEndpointRouteBuilder app, SandboxControl control, ApiDispatcher dispatcher)
    {
        var group = app.MapGroup("/sandbox");
        group.MapGet("/stats", () => Results.Json(new
        {
            requests = control.Counters.Requests, links_created = control.Counters.LinksCreated, duplicate_links = control.Counters.DuplicateLinks,
            consents_created = control.Counters.ConsentsCreated, jobs_created = control.Counters.JobsCreated,
            faults_injected = control.Counters.FaultsInjected, tokens_issued = control.Counters.TokensIssued,
        }));
        group.MapGet("/webhooks", () => Results.Json(control.WebhookLog.Select(d => new
        {
            id = d.Id, url = d.Url, type = d.Type, body = d.Body, kid = d.Kid, attempts = d.Attempts, last_status = d.LastStatus, delivered = d.Delivered,
        })));
        group.MapGet("/tls/rejections", () => Results.Json(control.RejectedClientCertificates));

        Post(group, "/links/{id}/approve", dispatcher, (id, body) => control.ApproveLink(id, (string?)body["provider_id"]));
        Post(group, "/links/{id}/reject", dispatcher, (id, _) => control.RejectLink(id));
        Post(group, "/links/{id}/status", dispatcher, (id, body) => control.SetLinkStatus(id, Status(body)));
        Post(group, "/consents/{id}/approve", dispatcher, (id, body) => new JsonObject { ["redirect_code"] = control.ApproveConsent(id, (string?)body["provider_id"]) });
        Post(group, "/consents/{id}/reject", dispatcher, (id, _) => control.RejectConsent(id));
        Post(group, "/consents/{id}/status", dispatcher, (id, body) => control.SetConsentStatus(id, Status(body)));
        Post(group, "/jobs/{id}/status", dispatcher, (id, body) => control.SetJobStatus(id, Status(body)));
        Post(group, "/keys/rotate", dispatcher, (_, body) => new JsonObject { ["kid"] = control.Keys.Rotate((string?)body["alg"] ?? "RS256") });
        Post(group, "/clients", dispatcher, (_, body) => control.Clients.Register(ClientRegistry.FromJson(body)));

        group.MapGet("/faults", () => Results.Json(new JsonObject { ["rules"] = new JsonArray(control.Faults.Rules.Select(r => (JsonNode?)r.ToJson()).ToArray()) }));
        Post(group, "/faults", dispatcher, (_, body) =>
            control.SetFaults(body["rules"]?.AsArray().Select(r => FaultRule.FromJson(r!.AsObject())) ?? Array.Empty<FaultRule>(), (int?)body["seed"]));
        group.MapDelete("/faults", () => { control.ClearFaults(); return Results.NoContent(); });

        group.MapGet("/settings", () => Results.Json(SettingsJson(control.Settings)));
        Post(group, "/settings", dispatcher, (_, body) => ApplySettings(control.Settings, body));
    }

    private static void Post(RouteGroupBuilder group, string pattern, ApiDispatcher dispatcher, Action<string, JsonObject> action) =>
        Post(group, pattern, dispatcher, (id, body) => { action(id, body); return new JsonObject { ["ok"] = true }; });

    private static void Post(RouteGroupBuilder group, string pattern, ApiDispatcher dispatcher, Func<string, JsonObject, JsonObject> action) =>
        group.MapPost(pattern, async (HttpContext http) =>
        {
            var id = (string?)http.Request.RouteValues["id"] ?? "";
            try
            {
                var body = http.Request.ContentLength is > 0 ? await JsonNode.ParseAsync(http.Request.Body) as JsonObject ?? new JsonObject() : new JsonObject();
                var reply = action(id, body);
                await http.Response.WriteAsJsonAsync(reply);
            }
            catch (ApiException e) { await dispatcher.WriteError(http, "sandbox-control", e); }
            catch (Exception e) when (e is FormatException or ArgumentException or System.Text.Json.JsonException or InvalidOperationException)
            {
                await dispatcher.WriteError(http, "sandbox-control", new ApiException(400, "bad_request", e.Message));
            }
        });

    private static string Status(JsonObject body) => (string?)body["status"] ?? throw ApiException.Validation("status", "is required");

    private static JsonObject SettingsJson(SandboxSettings s) => new()
    {
        ["token_lifetime_seconds"] = s.TokenLifetime.TotalSeconds, ["job_cooldown_seconds"] = s.JobCooldown.TotalSeconds,
        ["bank_step_delay_ms"] = s.BankStepDelay.TotalMilliseconds, ["job_step_delay_ms"] = s.JobStepDelay.TotalMilliseconds,
        ["transactions_per_consent"] = s.TransactionsPerConsent,
    };

    private static JsonObject ApplySettings(SandboxSettings s, JsonObject body)
    {
        if ((double?)body["token_lifetime_seconds"] is { } lifetime) s.TokenLifetime = TimeSpan.FromSeconds(lifetime);
        if ((double?)body["job_cooldown_seconds"] is { } cooldown) s.JobCooldown = TimeSpan.FromSeconds(cooldown);
        if ((double?)body["bank_step_delay_ms"] is { } bank) s.BankStepDelay = TimeSpan.FromMilliseconds(bank);
        if ((double?)body["job_step_delay_ms"] is { } job) s.JobStepDelay = TimeSpan.FromMilliseconds(job);
        if ((int?)body["transactions_per_consent"] is { } count) s.TransactionsPerConsent = count;
        return SettingsJson(s);
    }
}
