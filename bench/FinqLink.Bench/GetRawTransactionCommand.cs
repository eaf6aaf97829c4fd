using System.Management.Automation;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;

namespace FinqLink.Bench;

/// <summary>
/// The physical limit for a typed listing in PowerShell: a compiled cmdlet on one HttpClient that asks for the next page
/// as soon as the current one arrives (as the module does), reads each page with source-generated System.Text.Json into
/// typed <see cref="RawTransaction"/> objects, and writes them to the pipeline. No validation, retries or paging options.
/// </summary>
[Cmdlet(VerbsCommon.Get, "RawTransaction")]
[OutputType(typeof(RawTransaction))]
public sealed class GetRawTransactionCommand : PSCmdlet
{
    private static readonly HttpClient Http = new();

    [Parameter(Mandatory = true)]
    public string BaseUri { get; set; } = "";

    [Parameter(Mandatory = true)]
    public string ConsentId { get; set; } = "";

    [Parameter]
    public int PageSize { get; set; } = 250;

    /// <summary>One providers/list on the cmdlet's client: the connection open, as Connect-FinqLink leaves the module's.</summary>
    public static void Connect(string baseUri)
    {
        using var response = Http.PostAsync(baseUri.TrimEnd('/') + "/v2/providers/list",
            new StringContent("{\"client_id\":\"demo\",\"client_secret\":\"demo-secret\"}", Encoding.UTF8, "application/json")).GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
    }

    protected override void EndProcessing()
    {
        var url = BaseUri.TrimEnd('/') + "/v2/ais/transactions/list";
        var next = FetchAsync(url, null);
        while (true)
        {
            var page = next.GetAwaiter().GetResult();
            if (page.Pagination.More) next = FetchAsync(url, page.Pagination.After);
            foreach (var transaction in page.Transactions) WriteObject(transaction);
            if (!page.Pagination.More) return;
        }
    }

    private async Task<RawPage> FetchAsync(string url, string? after)
    {
        var body = "{\"client_id\":\"demo\",\"client_secret\":\"demo-secret\",\"consent_id\":" + JsonSerializer.Serialize(ConsentId, RawJson.Default.String)
                   + ",\"pagination\":{\"limit\":" + PageSize + (after == null ? "" : ",\"after\":" + JsonSerializer.Serialize(after, RawJson.Default.String)) + "}}";
        using var response = await Http.PostAsync(url, new StringContent(body, Encoding.UTF8, "application/json")).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        return await JsonSerializer.DeserializeAsync(stream, RawJson.Default.RawPage).ConfigureAwait(false) ?? throw new JsonException("An empty page.");
    }
}
