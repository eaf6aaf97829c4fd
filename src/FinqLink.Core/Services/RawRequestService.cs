using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Http;
using FinqLink.Json;
using FinqLink.Paging;
using FinqLink.Validation;

namespace FinqLink.Services
{
    /// <summary>
    /// Any operation by its resource name, with the session's authentication: the escape hatch for API features the typed
    /// services do not cover yet. Bodies go in as dictionaries or JSON text; answers come back as plain values.
    /// </summary>
    public sealed class RawRequestService : ApiService
    {
        /// <summary>Where the items of the documented paged lists sit in their answers.</summary>
        private static readonly Dictionary<string, string> ItemProperties = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["links/list"] = "links", ["ais/balances/list"] = "balances", ["ais/transactions/list"] = "transactions",
        };

        internal RawRequestService(ApiTransport transport) : base(transport) { }

        /// <summary>The item property of a documented paged list, or null for other operations.</summary>
        public static string? ItemPropertyOf(string resource) => ItemProperties.TryGetValue(resource, out var name) ? name : null;

        /// <summary>Creates are sent once (never retried when their outcome is unknown); other operations are read-like.</summary>
        public static RequestKind KindOf(string resource) => resource.EndsWith("/create", StringComparison.Ordinal) ? RequestKind.Create : RequestKind.Read;

        public Task<object?> SendAsync(string resource, object? body, RequestKind? kind = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default) =>
            SendAsync(Call(resource, body, kind), requestOptions, ReadValues, cancellationToken);

        /// <summary>What <see cref="SendAsync"/> would send, secrets redacted (for -WhatIf).</summary>
        public static string Describe(string resource, object? body, RequestKind? kind = null) => Call(resource, body, kind).ToString();

        /// <summary>Every item of every page of a paged list; <paramref name="itemsProperty"/> defaults to the documented one.</summary>
        public PagedList<object?> List(string resource, object? body, string? itemsProperty = null, PageOptions? paging = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
        {
            var items = itemsProperty ?? ItemPropertyOf(resource)
                ?? throw new FinqLinkValidationException(ApiFields.Body, $"{resource} is not a documented paged list; say which answer property holds its items");
            var call = Call(resource, body, RequestKind.Read);
            return new PagedList<object?>(ct => KeysetPager.Pages<object?>(async (page, t) => await SendAsync(page, requestOptions, (s, r) => ReadPage(s, items, r), t).ConfigureAwait(false),
                call, paging ?? new PageOptions(), ct), cancellationToken);
        }

        private static ApiCall Call(string resource, object? body, RequestKind? kind)
        {
            JsonObject json;
            switch (body)
            {
                case null: json = new JsonObject(); break;
                case string text: json = FromText(text); break;
                case IDictionary values:
                    json = new JsonObject();
                    JsonMerge.Into(json, values, ApiFields.Body);
                    break;
                default: throw new FinqLinkValidationException(ApiFields.Body, "give a dictionary (hashtable) or JSON text");
            }
            return new ApiCall(resource, json, kind ?? KindOf(resource));
        }

        private static JsonObject FromText(string text)
        {
            JsonNode? node;
            try { node = JsonNode.Parse(text); }
            catch (JsonException e) { throw new FinqLinkValidationException(ApiFields.Body, "not valid JSON (" + e.Message + ")"); }
            var json = node as JsonObject ?? throw new FinqLinkValidationException(ApiFields.Body, "the JSON must be an object");
            foreach (var name in new[] { "client_id", "client_secret" })
                if (json.ContainsKey(name)) throw new FinqLinkValidationException(ApiFields.Body, $"'{name}' is set by the session and cannot be overridden");
            return json;
        }

        private static async Task<object?> ReadValues(Stream stream, CancellationToken cancellationToken)
        {
            using var document = await JsonDocument.ParseAsync(stream, default, cancellationToken).ConfigureAwait(false);
            return PlainJson.ToValues(document.RootElement);
        }

        private static async Task<IPage<object?>> ReadPage(Stream stream, string itemsProperty, CancellationToken cancellationToken)
        {
            var answer = await ReadValues(stream, cancellationToken).ConfigureAwait(false) as IDictionary
                ?? throw new FinqLinkResponseException("The answer is not a JSON object.", new InvalidDataException());
            var items = answer[itemsProperty] as object?[] ?? Array.Empty<object?>();
            Pagination? pagination = null;
            if (answer["pagination"] is IDictionary p)
                pagination = new Pagination { More = p["more?"] is true, After = p["after"] as string, Count = p["count"] is long n ? (int?)n : null };
            return new RawPage(items, pagination);
        }

        private sealed class RawPage : IPage<object?>
        {
            public RawPage(object?[] items, Pagination? pagination)
            {
                Items = items;
                Pagination = pagination;
            }

            public IReadOnlyList<object?> Items { get; }
            public Pagination? Pagination { get; }
        }
    }
}
