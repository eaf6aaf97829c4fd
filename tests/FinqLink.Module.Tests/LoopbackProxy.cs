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
using System.Threading.Tasks;

namespace FinqLink.Module.Tests;

/// <summary>
/// A forward HTTP proxy on 127.0.0.1 that demands Basic proxy credentials (407 until given), forwards what it
/// accepts and remembers every request line, so a test can see which calls went through it.
/// </summary>
public sealed class LoopbackProxy : IDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Proxy-Authorization", "Proxy-Connection", "Connection", "Keep-Alive", "Host", "Content-Length", "Content-Type", "Transfer-Encoding",
    };

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly HttpClient _upstream = new(new SocketsHttpHandler { UseProxy = false });
    private readonly string _expectedAuthorization;

    public LoopbackProxy(string user, string password)
    {
        _expectedAuthorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));
        _listener.Start();
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _ = AcceptLoop();
    }

    public Uri Address { get; }
    /// <summary>"METHOD absolute-url" of each request forwarded with the right credentials.</summary>
    public ConcurrentQueue<string> Forwarded { get; } = new();
    public int Challenged => _challenged;
    private int _challenged;

    private async Task AcceptLoop()
    {
        while (true)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(); }
            catch (Exception e) when (e is ObjectDisposedException || e is SocketException) { return; }
            _ = Serve(client);
        }
    }

    private async Task Serve(TcpClient client)
    {
        using (client)
        await using (var stream = new BufferedStream(client.GetStream()))
        {
            try
            {
                while (await ReadHead(stream) is { } head)
                {
                    var lines = head.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
                    var requestLine = lines[0].Split(' ');
                    var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
                    var body = new byte[headers.TryGetValue("Content-Length", out var length) ? int.Parse(length, CultureInfo.InvariantCulture) : 0];
                    await stream.ReadExactlyAsync(body);
                    if (!headers.TryGetValue("Proxy-Authorization", out var auth) || auth != _expectedAuthorization)
                    {
                        System.Threading.Interlocked.Increment(ref _challenged);
                        await Write(stream, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n\r\n", Array.Empty<byte>());
                        continue;
                    }
                    Forwarded.Enqueue(requestLine[0] + " " + requestLine[1]);
                    await Forward(stream, requestLine[0], requestLine[1], headers, body);
                }
            }
            catch (IOException) { }
        }
    }

    private async Task Forward(Stream stream, string method, string url, Dictionary<string, string> headers, byte[] body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body.Length > 0 || method == "POST")
        {
            request.Content = new ByteArrayContent(body);
            if (headers.TryGetValue("Content-Type", out var type)) request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
        }
        foreach (var (name, value) in headers.Where(h => !HopByHop.Contains(h.Key))) request.Headers.TryAddWithoutValidation(name, value);
        using var response = await _upstream.SendAsync(request);
        var content = await response.Content.ReadAsByteArrayAsync();
        var head = new StringBuilder($"HTTP/1.1 {(int)response.StatusCode} {response.ReasonPhrase}\r\n");
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers).Where(h => !HopByHop.Contains(h.Key)))
            head.Append(name).Append(": ").Append(string.Join(", ", values)).Append("\r\n");
        if (response.Content.Headers.ContentType is { } contentType) head.Append("Content-Type: ").Append(contentType).Append("\r\n");
        head.Append("Content-Length: ").Append(content.Length).Append("\r\n\r\n");
        await Write(stream, head.ToString(), content);
    }

    private static async Task<string?> ReadHead(Stream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (await stream.ReadAsync(one) == 1)
        {
            bytes.Add(one[0]);
            if (bytes.Count >= 4 && bytes[^1] == '\n' && bytes[^2] == '\r' && bytes[^3] == '\n' && bytes[^4] == '\r')
                return Encoding.ASCII.GetString(bytes.ToArray());
        }
        return null;
    }

    private static async Task Write(Stream stream, string head, byte[] body)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(body);
        await stream.FlushAsync();
    }

    public void Dispose()
    {
        _listener.Stop();
        _upstream.Dispose();
    }
}
