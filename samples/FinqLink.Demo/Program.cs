using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FinqLink.Demo;
using FinqLink.Sandbox;
using FinqLink.Sandbox.Auth;

// The bulk-payment-link job, end to end and offline: a local FinqLink sandbox, the built module imported by its psd1
// into the PowerShell 7.6 engine, an OAuth2 private_key_jwt connection, links for every CSV row, payers playing, a wait.
var repo = FindRepoRoot();
var version = typeof(Csv).Assembly.GetCustomAttribute<ModuleVersionAttribute>()!.Version;
var manifest = Path.Combine(repo, "out", "FinqLink", version, "FinqLink.psd1");
var csvPath = Path.Combine(repo, "samples", "payments.csv");
var work = Directory.CreateTempSubdirectory("finqlink-demo-").FullName;

await using var sandbox = await SandboxHost.StartAsync(new SandboxOptions { BankStepDelay = TimeSpan.FromMilliseconds(150) });
Console.WriteLine($"Local FinqLink sandbox on {sandbox.BaseUrl}");

// A runbook's key pair, made now, as Finqware's key script would: PKCS#8 PEM, public JWK registered with the server.
using var rsa = RSA.Create(2048);
var kid = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
var keyPath = Path.Combine(work, "private.key.pem");
File.WriteAllText(keyPath, rsa.ExportPkcs8PrivateKeyPem());
var modulus = Convert.ToBase64String(rsa.ExportParameters(false).Modulus!).TrimEnd('=').Replace('+', '-').Replace('/', '_');
sandbox.Control.Clients.Register(ClientRegistry.FromJson(new JsonObject
{
    ["client_id"] = "acme-runbook", ["app_name"] = "ACME invoicing runbook",
    ["keys"] = new JsonArray(new JsonObject { ["kid"] = kid, ["jwk"] = new JsonObject { ["kty"] = "RSA", ["n"] = modulus, ["e"] = "AQAB" } }),
}));

var state = InitialSessionState.CreateDefault2();
using var runspace = RunspaceFactory.CreateRunspace(state);
runspace.Open();
PowerShell Shell() { var ps = PowerShell.Create(); ps.Runspace = runspace; return ps; }

using (var ps = Shell())
{
    ps.AddCommand("Import-Module").AddParameter("Name", manifest).AddParameter("ErrorAction", "Stop").Invoke();
    ps.Commands.Clear();
    ps.AddCommand("Connect-FinqLink").AddParameter("BaseUri", sandbox.BaseUrl).AddParameter("ClientId", "acme-runbook")
        .AddParameter("PrivateKeyPath", keyPath).AddParameter("KeyId", kid).AddParameter("TokenEndpoint", sandbox.TokenEndpointUrl)
        .AddParameter("PassThru").AddParameter("ErrorAction", "Stop");
    var session = ps.Invoke().Single();
    Console.WriteLine($"Connected as {session.Properties["ClientId"].Value} with {session.Properties["AuthMethod"].Value}; token until {session.Properties["TokenExpiresAt"].Value:HH:mm:ss}");
}

var rows = Csv.Read(csvPath);
Console.WriteLine($"\nImport-Csv {Path.GetRelativePath(repo, csvPath)} | New-FinqLink -JournalPath <journal>   ({rows.Count} rows)");
PSObject[] links;
using (var ps = Shell())
{
    ps.AddCommand("New-FinqLink").AddParameter("JournalPath", Path.Combine(work, "journal.jsonl"));
    links = ps.Invoke(rows).ToArray();
    foreach (var error in ps.Streams.Error)
        Console.WriteLine($"  row {((dynamic)error.TargetObject).InvoiceNumber} not sent: {error.Exception.Message}  [{error.FullyQualifiedErrorId.Split(',')[0]}]");
}
Console.WriteLine($"  {links.Length} payment links created.");

// Payers open their links: most pay, one changes their mind, the rest have not opened theirs yet.
for (var i = 0; i < links.Length; i++)
{
    var id = (string)links[i].Properties["LinkId"].Value;
    if (i == 2) sandbox.Control.RejectLink(id);
    else if (i < links.Length - 2) sandbox.Control.ApproveLink(id);
}

Console.WriteLine("\nWaiting for the payers (Wait-FinqLink)...");
PSObject[] settled;
using (var ps = Shell())
{
    ps.AddCommand("Wait-FinqLink").AddParameter("TimeoutSec", 20).AddParameter("PollIntervalSec", 0.25);
    settled = ps.Invoke(links.Take(links.Length - 2)).ToArray();
}
using (var ps = Shell())
{
    ps.AddCommand("Get-FinqLink").AddParameter("LinkId", links.Skip(links.Length - 2).Select(l => (string)l.Properties["LinkId"].Value).ToArray());
    settled = settled.Concat(ps.Invoke()).ToArray();
}

var byId = settled.ToDictionary(l => (string)l.Properties["LinkId"].Value);
Console.WriteLine($"\n{"Reference",-15} {"Amount",12} {"Ccy",-4} {"Status",-15} Web URL");
foreach (var link in links.OrderBy(l => (string)l.Properties["Reference"].Value))
{
    var now = byId[(string)link.Properties["LinkId"].Value];
    Console.WriteLine($"{link.Properties["Reference"].Value,-15} {link.Properties["Amount"].Value,12:N2} {link.Properties["Currency"].Value,-4} {now.Properties["Status"].Value,-15} {link.Properties["WebUrl"].Value}");
}
var counts = settled.GroupBy(l => (string)l.Properties["Status"].Value).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}");
Console.WriteLine($"\nSummary: {string.Join(", ", counts)}; {rows.Count - links.Length} row(s) rejected before sending.");
Console.WriteLine($"Sandbox counters: {sandbox.Control.Counters.LinksCreated} links created, {sandbox.Control.Counters.DuplicateLinks} duplicates, {sandbox.Control.Counters.TokensIssued} token(s) issued.");

Directory.Delete(work, recursive: true);
var ok = links.Length == rows.Count - 1 && sandbox.Control.Counters.DuplicateLinks == 0 && settled.Length == links.Length;
return ok ? 0 : 1;

static string FindRepoRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir != null && !File.Exists(Path.Combine(dir.FullName, "FinqLink.psd1"))) dir = dir.Parent;
    return dir?.FullName ?? throw new InvalidOperationException("Run the demo from inside the repository.");
}

namespace FinqLink.Demo
{
    [AttributeUsage(AttributeTargets.Assembly)]
    public sealed class ModuleVersionAttribute : Attribute
    {
        public ModuleVersionAttribute(string version) => Version = version;
        public string Version { get; }
    }
}
