using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Http;
using FinqLink.Models;
using FinqLink.Options;
using FinqLink.Paging;
using FinqLink.Validation;

namespace FinqLink.Services
{
    /// <summary>Payment links: links/create, links/get and links/list.</summary>
    public sealed class LinkService : ApiService
    {
        internal LinkService(ApiTransport transport) : base(transport) { }

        /// <summary>Creates a link. The call is sent once: an unknown outcome throws <see cref="FinqLinkOutcomeUnknownException"/>, never a retry.</summary>
        public async Task<PaymentLink> CreateAsync(LinkCreateOptions options, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
        {
            var call = CreateCall(options.ToBody());
            return WithImpliedStatus(await SendAsync<PaymentLink>(call, requestOptions, cancellationToken).ConfigureAwait(false), options.FlowType);
        }

        /// <summary>Creates a link from a body already validated by <see cref="LinkCreateOptions.ToBody"/> (a bulk run adjusts it per row).</summary>
        internal async Task<PaymentLink> CreateAsync(JsonObject body, string? flowType, RequestOptions? requestOptions, CancellationToken cancellationToken) =>
            WithImpliedStatus(await SendAsync<PaymentLink>(CreateCall(body), requestOptions, cancellationToken).ConfigureAwait(false), flowType);

        /// <summary>What <see cref="CreateAsync(LinkCreateOptions, RequestOptions, CancellationToken)"/> would send, secrets redacted (for -WhatIf).</summary>
        public static string Describe(LinkCreateOptions options) => CreateCall(options.ToBody()).ToString();

        public Task<PaymentLink> GetAsync(string linkId, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
        {
            var id = Rules.Required(ApiFields.LinkId, linkId, 36);
            if (id.Length != 36) throw new FinqLinkValidationException(ApiFields.LinkId, $"'{linkId}' must be exactly 36 characters (a UUID)");
            return SendAsync<PaymentLink>(Read("links/get", new JsonObject { ["link_id"] = id }), requestOptions, cancellationToken);
        }

        /// <summary>The client's links, newest first, streamed a page at a time.</summary>
        public IEnumerable<PaymentLink> List(LinkListOptions? filter = null, PageOptions? paging = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default) =>
            List<LinkPage, PaymentLink>(Filtered("links/list", new JsonObject(), (filter ?? new LinkListOptions()).ToFilter()), paging, requestOptions, cancellationToken);

        /// <summary>
        /// The current state of many links: with <paramref name="createdSince"/> (the oldest one's creation time), a few
        /// links/list pages instead of one links/get per link; links the list does not show are read one by one.
        /// </summary>
        public async Task<ManyResult<PaymentLink>> GetManyAsync(IReadOnlyCollection<string> linkIds, DateTimeOffset? createdSince,
            RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
        {
            var listed = new Dictionary<string, PaymentLink>(StringComparer.Ordinal);
            if (createdSince is DateTimeOffset since && linkIds.Count >= ListThreshold)
            {
                var wanted = new HashSet<string>(linkIds, StringComparer.Ordinal);
                var filter = new LinkListOptions { CreatedFrom = since.AddSeconds(-1) };
                await Task.Run(() =>
                {
                    foreach (var link in List(filter, new PageOptions { PageSize = PageOptions.MaxPageSize, Prefetch = true }, requestOptions, cancellationToken))
                        if (wanted.Contains(link.LinkId)) listed[link.LinkId] = link;
                }, cancellationToken).ConfigureAwait(false);
            }
            var rest = await ManyGets.ReadAsync(linkIds.Where(id => !listed.ContainsKey(id)), (id, ct) => GetAsync(id, requestOptions, ct), cancellationToken).ConfigureAwait(false);
            foreach (var link in rest.Found) listed[link.Key] = link.Value;
            return new ManyResult<PaymentLink>(listed, rest.Failed.ToDictionary(f => f.Key, f => f.Value));
        }

        /// <summary>From this many links on, a poll lists instead of getting each.</summary>
        private const int ListThreshold = 4;

        private static ApiCall CreateCall(JsonObject body) => new ApiCall("links/create", body, RequestKind.Create);

        // links/create answers without a status; a new link of the default flow is "created" by definition.
        private static PaymentLink WithImpliedStatus(PaymentLink link, string? flowType)
        {
            if (link.Status == null && (string.IsNullOrWhiteSpace(flowType) || flowType == "link")) link.Status = LinkStatuses.Created;
            return link;
        }
    }
}
