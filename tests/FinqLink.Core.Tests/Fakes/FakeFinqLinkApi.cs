using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace FinqLink.Core.Tests.Fakes;

public enum Fault { None, FailBefore, FailAfter, DropBefore, DropAfter, RateLimit, Refused }

/// <summary>
/// FinqLink's links API in memory, as an HttpMessageHandler: links/create, links/get and links/list with whole-second
/// timestamps, a server clock of its own (offset from this machine's), a Date header on every answer, and faults chosen
/// per request. Shared by several clients, it plays one API client's account that concurrent runs write to.
/// </summary>
public sealed class FakeFinqLinkApi : HttpMessageHandler
{
    private readonly ConcurrentDictionary<string, Link> _links = new(StringComparer.Ordinal);
    private readonly object _faultGate = new();
    private Random _random = new(1);
    private long _sequence;

    public TimeSpan ServerOffset { get; set; }
    public TimeSpan Latency { get; set; }
    public bool ListShowsCreatedAt { get; set; } = true;
    /// <summary>Chooses the fault of each links/create; by default none.</summary>
    public Func<Random, Fault> CreateFault { get; set; } = _ => Fault.None;
    /// <summary>Every links/create waits for this before it is answered.</summary>
    public Task CreatesMayProceed { get; set; } = Task.CompletedTask;
    public int ListCalls;
    public int CreateCalls;

    public sealed record Link(string LinkId, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, string? Remittance, string Amount, long Sequence);

    public IReadOnlyCollection<Link> Links => _links.Values.OrderBy(l => l.Sequence).ToList();

    public DateTimeOffset ServerNow => DateTimeOffset.UtcNow + ServerOffset;

    public void Seed(int seed) { lock (_faultGate) _random = new Random(seed); }

    /// <summary>Holds a link an earlier run made, a day before this API started (a journal fixture's), so links/get finds it.</summary>
    public void Holds(string linkId) => _links[linkId] = new Link(linkId, ServerNow.AddDays(-1), ServerNow.AddDays(6), null, "0.00", -1);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Latency > TimeSpan.Zero) await Task.Delay(Latency, cancellationToken);
        var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!.AsObject();
        var resource = request.RequestUri!.AbsolutePath.Split("/v2/", 2)[1];
        if (resource == "links/create") await CreatesMayProceed.WaitAsync(cancellationToken);
        return resource switch
        {
            "links/create" => Create(body),
            "links/get" => Get(body),
            "links/list" => List(body),
            "providers/list" => Answer(HttpStatusCode.OK, new JsonObject { ["providers"] = new JsonArray() }),
            _ => Answer(HttpStatusCode.NotFound, Error("not_found", resource)),
        };
    }

    private HttpResponseMessage Create(JsonObject body)
    {
        Interlocked.Increment(ref CreateCalls);
        Fault fault;
        lock (_faultGate) fault = CreateFault(_random);
        switch (fault)
        {
            case Fault.Refused: throw new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused));
            case Fault.DropBefore: throw new HttpRequestException("The response ended prematurely.", new IOException("reset"));
            case Fault.RateLimit:
                var limited = Answer((HttpStatusCode)429, Error("rate_limited", "slow down"));
                limited.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.Zero);
                return limited;
            case Fault.FailBefore: return Answer(HttpStatusCode.ServiceUnavailable, Error("internal_error", "before"));
        }
        var now = Truncate(ServerNow);
        var expiresIn = (long?)body["options"]?["expires_in"] ?? 7 * 86400;
        var link = new Link(Guid.NewGuid().ToString(), now, now.AddSeconds(expiresIn), (string?)body["single_transfer"]?["remittance_information"],
            (string)body["single_transfer"]!["amount"]!, Interlocked.Increment(ref _sequence));
        _links[link.LinkId] = link;
        if (fault == Fault.FailAfter) return Answer(HttpStatusCode.InternalServerError, Error("internal_error", "after"));
        if (fault == Fault.DropAfter) throw new HttpRequestException("The response ended prematurely.", new IOException("reset"));
        return Answer(HttpStatusCode.OK, new JsonObject
        {
            ["link_id"] = link.LinkId, ["web_url"] = "https://pay.example/" + link.LinkId, ["created_at"] = Time(link.CreatedAt), ["expires_at"] = Time(link.ExpiresAt),
        });
    }

    private HttpResponseMessage Get(JsonObject body) =>
        _links.TryGetValue((string)body["link_id"]!, out var link)
            ? Answer(HttpStatusCode.OK, Item(link))
            : Answer(HttpStatusCode.NotFound, Error("not_found", "no such link"));

    private HttpResponseMessage List(JsonObject body)
    {
        Interlocked.Increment(ref ListCalls);
        var from = Parse((string?)body["filter"]?["inserted_at_from"]) ?? DateTimeOffset.MinValue;
        var to = Parse((string?)body["filter"]?["inserted_at_to"]) ?? DateTimeOffset.MaxValue;
        var limit = (int?)body["pagination"]?["limit"] ?? 50;
        var after = long.TryParse((string?)body["pagination"]?["after"], out var a) ? a : long.MaxValue;
        var page = _links.Values.Where(l => l.CreatedAt >= from && l.CreatedAt <= to && l.Sequence < after)
            .OrderByDescending(l => l.Sequence).Take(limit + 1).ToList();
        var more = page.Count > limit;
        page = page.Take(limit).ToList();
        var pagination = new JsonObject { ["count"] = page.Count, ["more?"] = more };
        if (more) pagination["after"] = page[^1].Sequence.ToString(CultureInfo.InvariantCulture);
        return Answer(HttpStatusCode.OK, new JsonObject { ["links"] = new JsonArray(page.Select(l => (JsonNode)Item(l)).ToArray()), ["pagination"] = pagination });
    }

    private JsonObject Item(Link link)
    {
        var item = new JsonObject { ["link_id"] = link.LinkId, ["status"] = "created", ["expires_at"] = Time(link.ExpiresAt), ["web_url"] = "https://pay.example/" + link.LinkId };
        if (ListShowsCreatedAt) item["created_at"] = Time(link.CreatedAt);
        return item;
    }

    private HttpResponseMessage Answer(HttpStatusCode status, JsonObject body)
    {
        body["request_id"] = Guid.NewGuid().ToString("N");
        var response = new HttpResponseMessage(status) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        response.Headers.Date = Truncate(ServerNow);
        return response;
    }

    private static JsonObject Error(string code, string message) => new() { ["code"] = code, ["message"] = message, ["error_id"] = Guid.NewGuid().ToString() };
    private static DateTimeOffset Truncate(DateTimeOffset t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    private static DateTimeOffset? Parse(string? text) => text == null ? null : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
