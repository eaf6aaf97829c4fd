using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Webhooks;
using Xunit;
using static FinqLink.Core.Tests.WebhookSigning;

namespace FinqLink.Core.Tests.Webhooks;

/// <summary>A listener on a loopback port and clients to talk to it, for the listener's tests.</summary>
public abstract class ListenerTestBase : IDisposable
{
    protected static readonly RSA Rsa = RSA.Create(2048);
    protected const string Kid = "listener-key";
    protected static readonly WebhookKeySet Keys = WebhookKeySet.Parse(Jwks(RsaJwk(Rsa, Kid)));
    protected static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);
    private readonly List<IDisposable> _owned = new();
    private readonly HttpClient _http = new() { Timeout = Generous };

    protected WebhookListener Start(Action<WebhookListenerOptions>? configure = null, Uri? forwardTo = null)
    {
        var options = new WebhookListenerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0) };
        configure?.Invoke(options);
        var listener = new WebhookListener(options, (k, _) => Task.FromResult(Keys.Find(k)), forwardTo, null);
        _owned.Add(listener);
        listener.Start();
        return listener;
    }

    protected static int PortOf(WebhookListener listener) => new Uri(listener.Url).Port;

    protected Task<HttpResponseMessage> PostGenuine(WebhookListener listener, byte[] body, string? forwardedFor = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, listener.Url) { Content = new ByteArrayContent(body) };
        request.Headers.Add("x-signature", Sign(Header("RS256", Kid), body, Rsa));
        request.Headers.Add("x-signature-kid", Kid);
        if (forwardedFor != null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        return _http.SendAsync(request);
    }

    protected static async Task<ReceivedWebhook> Next(WebhookListener listener)
    {
        using var deadline = new CancellationTokenSource(Generous);
        return await listener.NextAsync(deadline.Token);
    }

    protected static async Task<int> DeliverAndAcknowledge(WebhookListener listener, Task<HttpResponseMessage> post, List<bool>? duplicates = null)
    {
        var received = await Next(listener);
        duplicates?.Add(received.Event.IsDuplicate);
        received.Acknowledge();
        using var answer = await post;
        return (int)answer.StatusCode;
    }

    protected async Task<NetworkStream> Connect(int port)
    {
        var client = new TcpClient();
        _owned.Add(client);
        await client.ConnectAsync(IPAddress.Loopback, port);
        return client.GetStream();
    }

    /// <summary>Sends a raw request and reads until the server closes (a test that hangs fails at the generous deadline).</summary>
    protected async Task<string> Exchange(int port, string request)
    {
        var stream = await Connect(port);
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var deadline = new CancellationTokenSource(Generous);
        var answer = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        try { while ((read = await stream.ReadAsync(buffer, deadline.Token)) > 0) answer.Write(buffer, 0, read); }
        catch (IOException) { } // a reset after the answer
        return Encoding.ASCII.GetString(answer.ToArray());
    }

    /// <summary>True when the server closed the connection without answering (end of stream or a reset).</summary>
    protected static async Task<bool> ClosedByServer(NetworkStream stream)
    {
        using var deadline = new CancellationTokenSource(Generous);
        try { return await stream.ReadAsync(new byte[64], deadline.Token) == 0; }
        catch (IOException) { return true; }
        catch (OperationCanceledException) { return false; }
    }

    public void Dispose()
    {
        foreach (var owned in _owned) owned.Dispose();
        _http.Dispose();
        GC.SuppressFinalize(this);
    }
}
