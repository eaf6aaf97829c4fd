using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Http;
using FinqLink.Json;
using FinqLink.Paging;

namespace FinqLink.Services
{
    /// <summary>Base of the typed services: each owns its operations' paths, bodies, item properties and answer types.</summary>
    public abstract class ApiService
    {
        private readonly ApiTransport _transport;

        internal ApiService(ApiTransport transport) => _transport = transport;

        internal Task<T> SendAsync<T>(ApiCall call, RequestOptions? options, CancellationToken cancellationToken) where T : class =>
            _transport.SendAsync(call, options ?? RequestOptions.None, ReadJson<T>, cancellationToken);

        internal Task<T> SendAsync<T>(ApiCall call, RequestOptions? options, System.Func<Stream, CancellationToken, Task<T>> read, CancellationToken cancellationToken) =>
            _transport.SendAsync(call, options ?? RequestOptions.None, read, cancellationToken);

        /// <summary>
        /// The items of a keyset-paged list, fetched a page at a time as the caller reads on. <paramref name="complete"/>
        /// fills in what the answer leaves out, once per item where the page is read (off the reader's thread when it prefetches).
        /// </summary>
        internal IEnumerable<TItem> List<TPage, TItem>(ApiCall call, PageOptions? paging, RequestOptions? options, CancellationToken cancellationToken,
            System.Action<TItem>? complete = null)
            where TPage : PageAnswer<TItem> =>
            KeysetPager.Enumerate<TItem>(async (page, ct) => Completed(await SendAsync<TPage>(page, options, ct).ConfigureAwait(false), complete),
                call, paging ?? new PageOptions(), cancellationToken);

        private static TPage Completed<TPage, TItem>(TPage page, System.Action<TItem>? complete) where TPage : PageAnswer<TItem>
        {
            if (complete != null && page.ItemArray is TItem[] items)
                foreach (var item in items) complete(item);
            return page;
        }

        internal static ApiCall Read(string resource, JsonObject? body = null) => new ApiCall(resource, body ?? new JsonObject(), RequestKind.Read);

        internal static ApiCall Filtered(string resource, JsonObject body, JsonObject filter)
        {
            if (filter.Count > 0) body["filter"] = filter;
            return Read(resource, body);
        }

        private static Task<T> ReadJson<T>(Stream stream, CancellationToken cancellationToken) where T : class =>
            BufferedJson.ReadAsync<T>(stream, FinqJson.Options, cancellationToken);
    }
}
