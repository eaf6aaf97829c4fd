using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Http;
using FinqLink.Json;
using FinqLink.Paging;
using FinqLink.Requests;

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
        internal PagedList<TItem> List<TPage, TItem>(ApiCall call, PageOptions? paging, RequestOptions? options, CancellationToken cancellationToken,
            System.Action<TItem>? complete = null)
            where TPage : PageAnswer<TItem> =>
            new PagedList<TItem>(ct => Pages<TPage, TItem>(call, paging, options, ct, complete), cancellationToken);

        /// <summary>The pages of a keyset-paged list (see <see cref="List{TPage, TItem}"/>).</summary>
        internal IAsyncEnumerable<IReadOnlyList<TItem>> Pages<TPage, TItem>(ApiCall call, PageOptions? paging, RequestOptions? options, CancellationToken cancellationToken,
            System.Action<TItem>? complete = null)
            where TPage : PageAnswer<TItem> =>
            KeysetPager.Pages<TItem>(async (page, ct) => Completed(await SendAsync<TPage>(page, options, ct).ConfigureAwait(false), complete),
                call, paging ?? new PageOptions(), cancellationToken);

        private static TPage Completed<TPage, TItem>(TPage page, System.Action<TItem>? complete) where TPage : PageAnswer<TItem>
        {
            if (complete != null && page.ItemArray is TItem[] items)
                foreach (var item in items) complete(item);
            return page;
        }

        internal static ApiCall Read(string resource, JsonObject? body = null) => new ApiCall(resource, body ?? new JsonObject(), RequestKind.Read);

        /// <summary>A list operation's call: the consent (for AIS lists) and the validated filter; the pager adds each page's pagination.</summary>
        internal static ApiCall ListCall<TFilter>(string resource, string? consentId, TFilter? filter, JsonTypeInfo<ListRequest<TFilter>> info) where TFilter : class =>
            new ApiCall(resource, RequestBody.Of(new ListRequest<TFilter>(consentId, filter, null), info), RequestKind.Read);

        private static Task<T> ReadJson<T>(Stream stream, CancellationToken cancellationToken) where T : class =>
            BufferedJson.ReadAsync<T>(stream, FinqJson.Options, cancellationToken);
    }
}
