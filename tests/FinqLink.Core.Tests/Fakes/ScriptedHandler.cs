using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace FinqLink.Core.Tests.Fakes;

/// <summary>
/// Answers each request with the next scripted step (a response, or an exception as a dropped connection), records what
/// was sent, and answers token requests (paths ending /token) with a fresh token of its own.
/// </summary>
internal sealed class ScriptedHandler : HttpMessageHandler
{
    private readonly ConcurrentQueue<Func<HttpResponseMessage>> _steps = new();
    private int _tokens;

    public List<(string Path, string? Authorization, string Body)> ApiRequests { get; } = new();
    public int TokenRequests => _tokens;
    public Func<HttpResponseMessage> WhenScriptEnds { get; set; } = () => Json(HttpStatusCode.OK, """{"providers":[]}""");

    public ScriptedHandler Then(HttpStatusCode status, string json = """{"error":"scripted","message":"scripted failure"}""", Action<HttpResponseMessage>? edit = null)
    {
        _steps.Enqueue(() =>
        {
            var response = Json(status, json);
            edit?.Invoke(response);
            return response;
        });
        return this;
    }

    public ScriptedHandler ThenDrop() { _steps.Enqueue(() => throw new HttpRequestException("connection reset (scripted)")); return this; }

    public static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content == null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        if (request.RequestUri!.AbsolutePath.EndsWith("/token", StringComparison.Ordinal))
        {
            var n = Interlocked.Increment(ref _tokens);
            return Json(HttpStatusCode.OK, $$"""{"access_token":"token-{{n}}","token_type":"Bearer","expires_in":3600}""");
        }
        lock (ApiRequests) ApiRequests.Add((request.RequestUri.AbsolutePath, request.Headers.Authorization?.ToString(), body));
        return _steps.TryDequeue(out var step) ? step() : WhenScriptEnds();
    }
}
