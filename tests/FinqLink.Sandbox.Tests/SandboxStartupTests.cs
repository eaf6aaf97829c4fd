using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using FinqLink.Sandbox;
using Xunit;

namespace FinqLink.Sandbox.Tests;

public sealed class SandboxStartupTests
{
    private static (int ExitCode, string Out, string Error) RunSandbox(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FinqLink.Sandbox.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000)) process.Kill();
        return (process.ExitCode, output.Result, error.Result);
    }

    [Fact]
    public void Help_lists_every_option_and_exits_0()
    {
        var (exit, output, _) = RunSandbox("--help");
        Assert.Equal(0, exit);
        Assert.Equal(19, SandboxOptions.OptionNames.Count);
        foreach (var option in SandboxOptions.OptionNames.Append("--help")) Assert.Contains(option + " ", output);
        Assert.Contains("client_secret \"demo-secret\"", output);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Ctrl_c_and_sigterm_stop_it_with_exit_code_0_and_nothing_on_stderr(bool sigterm)
    {
        using var sandbox = await SandboxProcess.StartDll("--clock-offset", "-300");
        Assert.Equal(new[] { "  Base URL:", "  Token endpoint:", "  Demo client:", "  Control API:", "  Clock:", "Press Ctrl+C" },
            sandbox.Banner.Skip(1).Select(l => l[..Math.Min(l.Length, l.StartsWith("Press", StringComparison.Ordinal) ? 12 : l.IndexOf(':') + 1)]));
        Assert.Contains("client_id demo, client_secret demo-secret", sandbox.Banner[3]);
        Assert.Contains(sandbox.BaseUrl + "/sandbox/", sandbox.Banner[4]);
        using (var http = new HttpClient())
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(sandbox.BaseUrl + "/sandbox/stats")).StatusCode);
        var (exit, error) = await sandbox.Stop(sigterm);
        Assert.Equal(0, exit);
        Assert.Equal("", error);
    }

    [Fact]
    public async Task With_ignore_interrupt_ctrl_c_leaves_it_running_and_sigterm_still_stops_it()
    {
        using var sandbox = await SandboxProcess.StartDll("--ignore-interrupt");
        sandbox.Interrupt();
        await Task.Delay(500);
        Assert.False(sandbox.HasExited);
        using (var http = new HttpClient())
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(sandbox.BaseUrl + "/sandbox/stats")).StatusCode);
        var (exit, error) = await sandbox.Stop(terminate: true);
        Assert.Equal(0, exit);
        Assert.Equal("", error);
    }

    [Fact]
    public async Task With_exit_on_stdin_close_it_ends_and_deletes_the_starter_log_when_its_starter_is_gone()
    {
        var log = Path.Combine(Path.GetTempPath(), $"finqlink-sandbox-{Guid.NewGuid():N}.log");
        File.WriteAllText(log, "what the starter logged");
        try
        {
            using var sandbox = await SandboxProcess.StartDll("--ignore-interrupt", "--exit-on-stdin-close", "--starter-log", log);
            using (var http = new HttpClient())
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(sandbox.BaseUrl + "/sandbox/stats")).StatusCode);
            Assert.False(sandbox.HasExited);
            Assert.True(File.Exists(log));

            sandbox.CloseInput();
            Assert.True(await sandbox.WaitForExit(TimeSpan.FromSeconds(30)), "the sandbox still runs 30 s after its stdin closed");
            Assert.False(File.Exists(log), "the starter's log is still there");
        }
        finally { File.Delete(log); }
    }

    [Fact]
    public void An_unknown_option_or_a_missing_clients_file_exits_2_with_the_reason()
    {
        var unknown = RunSandbox("--port", "80");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("Unknown option --port", unknown.Error);
        var missing = RunSandbox("--clients", "/nonexistent/clients.json");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("--clients: /nonexistent/clients.json does not exist", missing.Error);
        Assert.Contains("--seed takes a whole number", RunSandbox("--seed", "abc").Error);
        var remote = RunSandbox("--urls", "http://0.0.0.0:5080");
        Assert.Equal(2, remote.ExitCode);
        Assert.Contains("--allow-remote", remote.Error);
    }

    [Fact]
    public async Task A_clients_file_registers_secret_clients_pem_keys_and_required_tracking()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var file = Path.GetTempFileName();
        File.WriteAllText(file, new JsonObject
        {
            ["clients"] = new JsonArray(
                new JsonObject { ["client_id"] = "acme", ["client_secret"] = "acme-secret", ["app_name"] = "ACME Billing", ["required_tracking"] = new JsonArray("tenant_user_id") },
                new JsonObject { ["client_id"] = "acme-jwt", ["keys"] = new JsonArray(new JsonObject { ["kid"] = "acme-1", ["pem"] = ec.ExportSubjectPublicKeyInfoPem() }) }),
        }.ToJsonString());
        var sandbox = await SandboxHost.StartAsync(SandboxOptions.Parse(new[] { "--clients", file, "--seed", "7" }));
        try
        {
            using var http = new HttpClient();
            Task<(HttpStatusCode Status, JsonObject Body)> Post(string path, JsonObject body, string? bearer = null) => http.PostJson(sandbox.BaseUrl + path, body, bearer);
            var transfer = new JsonObject { ["amount"] = "10.00", ["currency"] = "RON", ["creditor"] = new JsonObject { ["name"] = "ACME SRL", ["iban"] = "RO10RZBR0000069999999970" } };

            var untracked = await Post("/v2/links/create", new JsonObject { ["client_id"] = "acme", ["client_secret"] = "acme-secret", ["single_transfer"] = transfer.DeepClone() });
            Assert.Equal(HttpStatusCode.Unauthorized, untracked.Status);                   // documented: a missing required tracking id is a 401
            Assert.Contains("tenant_user_id", (string)untracked.Body["message"]!);
            var tracked = await Post("/v2/links/create", new JsonObject
            {
                ["client_id"] = "acme", ["client_secret"] = "acme-secret", ["single_transfer"] = transfer.DeepClone(),
                ["tracking"] = new JsonObject { ["tenant_user_id"] = "u-42" },
            });
            Assert.Equal(HttpStatusCode.OK, tracked.Status);

            var token = await http.PostAsync(sandbox.TokenEndpointUrl, new FormUrlEncodedContent(new System.Collections.Generic.Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials", ["scope"] = "pay_by_link", ["client_id"] = "acme-jwt",
                ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                ["client_assertion"] = Es256Assertion.Sign(ec, "acme-1", "acme-jwt", sandbox.TokenEndpointUrl, "jti-1"),
            }));
            Assert.Equal(HttpStatusCode.OK, token.StatusCode);
            var accessToken = (string)JsonNode.Parse(await token.Content.ReadAsStringAsync())!["access_token"]!;
            Assert.Equal(HttpStatusCode.OK, (await Post("/v2/providers/list", new JsonObject { ["client_id"] = "acme-jwt" }, accessToken)).Status);
        }
        finally
        {
            await sandbox.DisposeAsync();
            File.Delete(file);
        }
    }
}
