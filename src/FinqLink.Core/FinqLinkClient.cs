using System;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Http;
using FinqLink.Services;
using FinqLink.Webhooks;

namespace FinqLink
{
    /// <summary>
    /// One session's connection to FinqLink, with a typed service per API area (<c>client.Links.CreateAsync(…)</c>,
    /// <c>client.Transactions.List(…)</c>). One HttpClient (client certificate, proxy, pooled connections) serves every
    /// call and the token endpoint.
    /// </summary>
    public sealed class FinqLinkClient : IDisposable
    {
        private readonly HttpClient _http;

        public FinqLinkClient(FinqLinkClientOptions options) : this(options, CreateHandler(options), TimeProvider.System) { }

        /// <summary>With the HTTP handler and clock of the caller's choice (tests).</summary>
        internal FinqLinkClient(FinqLinkClientOptions options, HttpMessageHandler handler, TimeProvider time)
        {
            Options = options;
            Time = time;
            _http = new HttpClient(handler) { Timeout = options.Timeout };
            _http.DefaultRequestHeaders.UserAgent.ParseAdd("FinqLink-PowerShell/" + typeof(FinqLinkClient).Assembly.GetName().Version);
            var transport = new ApiTransport(options, _http, time);
            Providers = new ProviderService(transport);
            Links = new LinkService(transport);
            Consents = new ConsentService(transport);
            Accounts = new AccountService(transport);
            Balances = new BalanceService(transport);
            Transactions = new TransactionService(transport);
            DataRefreshes = new DataRefreshService(transport);
            Raw = new RawRequestService(transport);
            WebhookKeys = new WebhookKeyCache(GetJwksAsync);
        }

        public FinqLinkClientOptions Options { get; }
        public TimeProvider Time { get; }

        public ProviderService Providers { get; }
        public LinkService Links { get; }
        public ConsentService Consents { get; }
        public AccountService Accounts { get; }
        public BalanceService Balances { get; }
        public TransactionService Transactions { get; }
        public DataRefreshService DataRefreshes { get; }
        public RawRequestService Raw { get; }

        /// <summary>The session's cached copy of FinqLink's webhook signing keys.</summary>
        public WebhookKeyCache WebhookKeys { get; }

        /// <summary>Fetches the webhook signing keys from <c>{base}/.well-known/jwks.json</c> (no authentication).</summary>
        public async Task<string> GetJwksAsync(CancellationToken cancellationToken)
        {
            var uri = new Uri(Options.Paths.BaseUri.ToString().TrimEnd('/') + "/.well-known/jwks.json");
            HttpResponseMessage response;
            try { response = await _http.GetAsync(uri, cancellationToken).ConfigureAwait(false); }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { throw; }
            catch (Exception e) when (e is HttpRequestException || e is OperationCanceledException || e is System.IO.IOException)
            {
                throw FinqLinkTransportException.From(uri.AbsolutePath, e);
            }
            using (response)
            {
                var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                    throw new FinqLinkApiException(response.StatusCode, null, null, null, $"{uri.AbsolutePath}: {(int)response.StatusCode} {response.ReasonPhrase}", null);
                return text;
            }
        }

        private static HttpMessageHandler CreateHandler(FinqLinkClientOptions options)
        {
            var handler = new HttpClientHandler { MaxConnectionsPerServer = options.MaxConnections, AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate };
            if (options.ClientCertificate != null)
            {
                handler.ClientCertificateOptions = ClientCertificateOption.Manual;
                handler.ClientCertificates.Add(options.ClientCertificate);
            }
            if (options.SkipCertificateCheck)
                handler.ServerCertificateCustomValidationCallback = (_, _, _, _) => true;
            if (options.Proxy != null)
            {
                handler.Proxy = options.Proxy;
                handler.UseProxy = true;
            }
            return handler;
        }

        public void Dispose() => _http.Dispose();
    }
}
