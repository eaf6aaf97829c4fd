using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace FinqLink.Testing;

/// <summary>
/// A webhook endpoint on loopback, as a runbook would host with HttpListener: keeps each raw body and its headers.
/// It can answer 500 to the first deliveries, to see the sender retry.
/// </summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly BlockingCollection<Received> _received = new();
    private readonly ConcurrentQueue<Received> _all = new();
    private int _failuresLeft;

    public sealed record Received(byte[] Body, NameValueCollection Headers, int AnsweredStatus, DateTime At);

    public WebhookReceiver(int failFirst = 0)
    {
        _failuresLeft = failFirst;
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}/hooks/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _ = Task.Run(LoopAsync);
    }

    public string Url { get; }

    /// <summary>Every request received, including those answered with a failure.</summary>
    public IReadOnlyCollection<Received> All => _all.ToArray();

    /// <summary>The next webhook whose body contains <paramref name="marker"/>, within <paramref name="timeout"/>.</summary>
    public Received Next(Func<Received, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
            if (_received.TryTake(out var r, 100) && match(r)) return r;
        throw new TimeoutException("No matching webhook arrived.");
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            using var buffer = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(buffer);
            var status = Interlocked.Decrement(ref _failuresLeft) >= 0 ? 500 : 204;
            var received = new Received(buffer.ToArray(), new NameValueCollection(context.Request.Headers), status, DateTime.UtcNow);
            _all.Enqueue(received);
            if (status == 204) _received.Add(received);
            context.Response.StatusCode = status;
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public void Dispose() => _listener.Close();
}
