using System;
using System.Collections.Generic;
using System.Threading;
using FinqLink.Http;
using FinqLink.Models;
using FinqLink.Options;
using FinqLink.Paging;
using FinqLink.Services;

namespace FinqLink.Bulk
{
    /// <summary>The one question reconciliation asks the API: which links were created in a window of the server's clock.</summary>
    public interface ILinkWindow
    {
        /// <param name="createdFrom">Whole seconds.</param>
        /// <param name="createdTo">Whole seconds; null for "until now".</param>
        IEnumerable<PaymentLink> CreatedBetween(DateTimeOffset createdFrom, DateTimeOffset? createdTo, CancellationToken cancellationToken);
    }

    /// <summary>links/list, filtered by creation time, in the largest pages the API gives.</summary>
    internal sealed class ApiLinkWindow : ILinkWindow
    {
        private readonly LinkService _links;
        private readonly RequestOptions _requests;

        public ApiLinkWindow(LinkService links, RequestOptions requests)
        {
            _links = links;
            _requests = requests;
        }

        public IEnumerable<PaymentLink> CreatedBetween(DateTimeOffset createdFrom, DateTimeOffset? createdTo, CancellationToken cancellationToken) =>
            _links.List(new LinkListOptions { CreatedFrom = createdFrom, CreatedTo = createdTo }, new PageOptions { PageSize = PageOptions.MaxPageSize }, _requests, cancellationToken);
    }
}
