using System.Net.Http;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using FinqLink.Sandbox;
using Xunit;

namespace FinqLink.Testing;

/// <summary>A sandbox on HTTPS that requires client certificates chaining to a test CA.</summary>
public sealed class MtlsSandboxFixture : IAsyncLifetime
{
    public TestPki Pki { get; } = new();
    public SandboxHost Sandbox { get; private set; } = null!;

    public async Task InitializeAsync() => Sandbox = await SandboxHost.StartAsync(new SandboxOptions
    {
        Urls = { "https://127.0.0.1:0" },
        HttpsCertificate = Pki.ServerPfxPath,
        HttpsCertificatePassword = TestPki.ServerPfxPassword,
        ClientCa = Pki.CaPemPath,
    });

    /// <summary>A client that presents <paramref name="certificate"/> whatever its usages (as curl would), so the server's rules decide.</summary>
    public HttpClient ClientWith(X509Certificate2? certificate) => new(new SocketsHttpHandler
    {
        SslOptions =
        {
            RemoteCertificateValidationCallback = (_, server, _, _) => Pki.IsOurServer(server as X509Certificate2),
            LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate!,
        },
    });

    public async Task DisposeAsync()
    {
        await Sandbox.DisposeAsync();
        Pki.Dispose();
    }
}
