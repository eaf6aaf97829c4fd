using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace FinqLink.Sandbox.Tests;

/// <summary>
/// A headless Chromium driven over the DevTools protocol (System.Net.WebSockets, no driver package): load a page in a
/// phone's viewport, evaluate script, take a screenshot. The browser is Debian's chromium package (or FINQLINK_CHROMIUM).
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    private static readonly string[] Candidates = { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" };
    private readonly Process _process;
    private readonly DirectoryInfo _profile;
    private readonly ClientWebSocket _socket = new();
    private int _nextId;

    private HeadlessChromium(Process process, DirectoryInfo profile)
    {
        _process = process;
        _profile = profile;
    }

    public static string Executable()
    {
        var path = Environment.GetEnvironmentVariable("FINQLINK_CHROMIUM") is { Length: > 0 } configured ? configured : Candidates.FirstOrDefault(File.Exists);
        Assert.True(path is not null && File.Exists(path),
            "The payer-page test needs a Chromium: on Debian/Ubuntu `apt-get install chromium` (/usr/bin/chromium), or set FINQLINK_CHROMIUM to a Chrome/Chromium binary.");
        return path!;
    }

    public static async Task<HeadlessChromium> Start()
    {
        var profile = Directory.CreateTempSubdirectory("finqlink-chromium-");
        var start = new ProcessStartInfo(Executable()) { RedirectStandardError = true, RedirectStandardOutput = true };
        // With --disable-dev-shm-usage its shared memory goes to TMPDIR (org.chromium.Chromium.* folders that a killed
        // browser never removes): inside the profile, they go with it.
        start.Environment["TMPDIR"] = profile.FullName;
        foreach (var arg in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile.FullName,
                     "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "about:blank",
                 })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var browser = new HeadlessChromium(process, profile);
        await browser.Connect();
        return browser;
    }

    private static async Task<string?> FirstLine(string path) =>
        File.Exists(path) ? (await File.ReadAllLinesAsync(path)).FirstOrDefault() : null;

    /// <summary>Chromium writes its DevTools port into the profile; the page target's socket is listed at /json/list.</summary>
    private async Task Connect()
    {
        var portFile = Path.Combine(_profile.FullName, "DevToolsActivePort");
        // Chromium creates the file before it writes the port into it: wait for the line, not only the file.
        string? port = null;
        for (var i = 0; i < 300 && string.IsNullOrEmpty(port = await FirstLine(portFile)); i++)
        {
            if (_process.HasExited) throw new InvalidOperationException($"Chromium exited with {_process.ExitCode}.");
            await Task.Delay(100);
        }
        if (string.IsNullOrEmpty(port)) throw new TimeoutException("Chromium wrote no DevTools port within 30 s.");
        using var http = new HttpClient();
        var targets = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list"))!.AsArray();
        var page = targets.First(t => (string?)t!["type"] == "page")!;
        await _socket.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!), CancellationToken.None);
    }

    /// <summary>Lays pages out as a phone of <paramref name="width"/> CSS pixels does (mobile: the viewport meta applies).</summary>
    public Task EmulatePhone(int width, int height) =>
        Send("Emulation.setDeviceMetricsOverride", new JsonObject { ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 2, ["mobile"] = true });

    public async Task Open(string url)
    {
        await Send("Page.navigate", new JsonObject { ["url"] = url });
        for (var i = 0; i < 100 && (string?)await Evaluate("document.readyState") != "complete"; i++) await Task.Delay(50);
    }

    /// <summary>The value of a JavaScript expression, as JSON.</summary>
    public async Task<JsonNode?> Evaluate(string expression)
    {
        var result = await Send("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true });
        return result["result"]!["value"];
    }

    public async Task Screenshot(string path)
    {
        var image = await Send("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true });
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, Convert.FromBase64String((string)image["data"]!));
    }

    private async Task<JsonNode> Send(string method, JsonObject parameters)
    {
        var id = Interlocked.Increment(ref _nextId);
        var command = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(command.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var message = JsonNode.Parse(await Receive(timeout.Token))!;
            if ((int?)message["id"] != id) continue;   // an event, or another command's answer
            if (message["error"] is { } error) throw new InvalidOperationException($"{method}: {error.ToJsonString()}");
            return message["result"]!;
        }
    }

    private async Task<string> Receive(CancellationToken cancellationToken)
    {
        using var text = new MemoryStream();
        var buffer = new byte[64 * 1024];
        WebSocketReceiveResult part;
        do
        {
            part = await _socket.ReceiveAsync(buffer, cancellationToken);
            text.Write(buffer, 0, part.Count);
        } while (!part.EndOfMessage);
        return Encoding.UTF8.GetString(text.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        try { _profile.Delete(recursive: true); }
        catch (IOException) { }   // Chromium's helpers may still hold a file for a moment; the temp folder is throwaway
    }
}
