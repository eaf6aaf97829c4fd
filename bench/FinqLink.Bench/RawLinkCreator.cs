using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace FinqLink.Bench;

/// <summary>
/// The practical ceiling of bulk creation: <c>throttle</c> tasks sending links/create back to back on one HttpClient,
/// with no validation, journal, ordering or retries. What is left between it and rows × latency / throttle is the cost
/// of a request on this machine (client, loopback and the sandbox's own work).
/// </summary>
public sealed class RawLinkCreator(string baseUri)
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 256 });
    private readonly string _url = baseUri.TrimEnd('/') + "/v2/links/create";

    public int Create(int rows, int throttle)
    {
        var next = 0;
        var created = 0;
        async Task Send()
        {
            while (Interlocked.Increment(ref next) <= rows)
            {
                var body = $"{{\"client_id\":\"demo\",\"client_secret\":\"demo-secret\",\"single_transfer\":{{\"amount\":\"{10 + next % 90}.00\",\"currency\":\"RON\"}}}}";
                using var response = await Http.PostAsync(_url, new StringContent(body, Encoding.UTF8, "application/json")).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
                Interlocked.Increment(ref created);
            }
        }
        Task.WhenAll(Enumerable.Range(0, throttle).Select(_ => Task.Run(Send))).GetAwaiter().GetResult();
        return created;
    }
}
