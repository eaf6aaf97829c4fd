using System;
using System.Globalization;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;

namespace FinqLink.Sandbox.Tests;

/// <summary>
/// HTTP/1.1 over a bare socket, for requests HttpClient will not finish: a server may answer and close while a large
/// chunked body is still being sent, so the answer is read while sending, and a refused write just ends the sending.
/// </summary>
internal static class RawHttp
{
    public static async Task<(int Status, string Body)> PostChunked(string baseUrl, string path, long bodyBytes, string contentType = "application/json")
    {
        var uri = new Uri(baseUrl);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(uri.Host, uri.Port);
        var stream = tcp.GetStream();
        var answer = ReadAnswer(stream);
        try
        {
            await Write(stream, $"POST {path} HTTP/1.1\r\nHost: {uri.Authority}\r\nContent-Type: {contentType}\r\nTransfer-Encoding: chunked\r\n\r\n");
            var chunk = new string(' ', 64 * 1024);
            await Write(stream, Chunk("{\"client_id\":\"demo\",\"client_secret\":\"demo-secret\",\"pad\":\""));
            for (long sent = 0; sent < bodyBytes && !answer.IsCompleted; sent += chunk.Length) await Write(stream, Chunk(chunk));
            await Write(stream, Chunk("\"}") + "0\r\n\r\n");
        }
        catch (IOException) { }   // the server stopped reading: its answer says why
        return await answer;
    }

    private static string Chunk(string data) => $"{Encoding.ASCII.GetByteCount(data):x}\r\n{data}\r\n";

    private static Task Write(NetworkStream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    /// <summary>Reads until the answer is complete (by its Content-Length or its last chunk) or the server closes.</summary>
    private static async Task<(int Status, string Body)> ReadAnswer(NetworkStream stream)
    {
        var received = new MemoryStream();
        var buffer = new byte[8192];
        while (true)
        {
            int read;
            try { read = await stream.ReadAsync(buffer); }
            catch (IOException) { read = 0; }
            if (read == 0) break;
            received.Write(buffer, 0, read);
            if (TryParse(received.ToArray(), out var complete)) return complete;
        }
        return TryParse(received.ToArray(), out var partial) ? partial : throw new IOException("No HTTP answer arrived: " + Encoding.ASCII.GetString(received.ToArray()));
    }

    private static bool TryParse(byte[] data, out (int Status, string Body) answer)
    {
        answer = default;
        var text = Encoding.UTF8.GetString(data);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0) return false;
        var head = text[..end].Split("\r\n");
        var status = int.Parse(head[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var body = text[(end + 4)..];
        if (Array.Exists(head, h => h.Equals("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase)))
        {
            if (!body.EndsWith("0\r\n\r\n", StringComparison.Ordinal)) return false;
            answer = (status, Dechunk(body));
            return true;
        }
        var length = 0;
        foreach (var line in head)
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) length = int.Parse(line[15..].Trim(), CultureInfo.InvariantCulture);
        if (Encoding.UTF8.GetByteCount(body) < length) return false;
        answer = (status, body);
        return true;
    }

    private static string Dechunk(string body)
    {
        var text = new StringBuilder();
        for (var at = 0; ;)
        {
            var lineEnd = body.IndexOf("\r\n", at, StringComparison.Ordinal);
            var size = Convert.ToInt32(body[at..lineEnd], 16);
            if (size == 0) return text.ToString();
            text.Append(body, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
