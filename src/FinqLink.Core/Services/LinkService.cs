using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Http;
using FinqLink.Json;
using FinqLink.Models;
using FinqLink.Options;
using FinqLink.Paging;
using FinqLink.Requests;
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
            return await CreateAsync(RequestValidator.Link(options), requestOptions, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Creates a link from a request already validated (a bulk run sends each row with its slot's expiry).</summary>
        public async Task<PaymentLink> CreateAsync(LinkCreateRequest request, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default) =>
            WithImpliedStatus(await SendAsync<PaymentLink>(CreateCall(request), requestOptions, cancellationToken).ConfigureAwait(false), request.FlowType);

        /// <summary>What <see cref="CreateAsync(LinkCreateOptions, RequestOptions, CancellationToken)"/> would send, secrets redacted (for -WhatIf).</summary>
        public static string Describe(LinkCreateOptions options) => Describe(RequestValidator.Link(options));

        /// <summary>What <see cref="CreateAsync(LinkCreateRequest, RequestOptions, CancellationToken)"/> would send, secrets redacted.</summary>
        public static string Describe(LinkCreateRequest request) => CreateCall(request).ToString();

        public Task<PaymentLink> GetAsync(string linkId, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
        {
            var id = Rules.Required(ApiFields.LinkId, linkId, 36);
            if (id.Length != 36) throw new FinqLinkValidationException(ApiFields.LinkId, $"'{linkId}' must be exactly 36 characters (a UUID)");
            return SendAsync<PaymentLink>(Read("links/get", new JsonObject { ["link_id"] = id }), requestOptions, cancellationToken);
        }

        /// <summary>The client's links, newest first, streamed a page at a time.</summary>
        public PagedList<PaymentLink> List(LinkListOptions? filter = null, PageOptions? paging = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default) =>
            List<LinkPage, PaymentLink>(ListCall("links/list", null, RequestValidator.Links(filter), RequestJson.Default.ListRequestLinkFilter), paging, requestOptions, cancellationToken);

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

        private static ApiCall CreateCall(LinkCreateRequest request) =>
            new ApiCall("links/create", RequestBody.Of(request, RequestJson.Default.LinkCreateRequest, request.Merged), RequestKind.Create);

        // links/create answers without a status; a new link of the default flow is "created" by definition.
        private static PaymentLink WithImpliedStatus(PaymentLink link, string? flowType)
        {
            if (link.Status == null && (string.IsNullOrWhiteSpace(flowType) || flowType == "link")) link.Status = LinkStatuses.Created;
            return link;
        }
    }
}
