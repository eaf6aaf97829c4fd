using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Http;
using FinqLink.Models;
using FinqLink.Services;

namespace FinqLink.Waiting
{
    /// <summary>Payment links until a final status (or one of <c>statuses</c>); read through the list of links created since the oldest one known.</summary>
    public sealed class LinkGoal : WaitGoal<PaymentLink>
    {
        private readonly FinqLinkClient _client;
        private readonly RequestOptions? _options;
        private readonly IReadOnlyCollection<string>? _statuses;
        private readonly DateTimeOffset? _createdSince;

        public LinkGoal(FinqLinkClient client, RequestOptions? options, IReadOnlyCollection<string>? statuses, DateTimeOffset? createdSince)
        {
            _client = client;
            _options = options;
            _statuses = statuses;
            _createdSince = createdSince;
        }

        public override string Description => _statuses == null ? "a final status" : string.Join(" or ", _statuses);

        public override Task<ManyResult<PaymentLink>> PollAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
            _client.Links.GetManyAsync(ids, _createdSince, _options, cancellationToken);

        public override bool Reached(PaymentLink item) => _statuses == null ? LinkStatuses.IsFinal(item.Status) : _statuses.Contains(item.Status);

        public override bool CannotReach(PaymentLink item)
        {
            if (item.IsExpired == true) return true;
            if (_statuses == null) return false;
            if (LinkStatuses.IsTerminal(item.Status)) return true;
            if (item.Status == LinkStatuses.Completed) return !_statuses.Any(LinkStatuses.AfterCompletion.Contains);
            // Along the payment's path (created … completed) a link never goes back.
            var path = Array.IndexOf(LinkStatuses.All, LinkStatuses.Completed);
            var now = Array.IndexOf(LinkStatuses.All, item.Status);
            var wanted = _statuses.Select(s => Array.IndexOf(LinkStatuses.All, s)).ToList();
            return now >= 0 && now <= path && wanted.All(w => w >= 0 && w < now);
        }

        public override string? StatusOf(PaymentLink item) => item.Status + (item.IsExpired == true ? " (expired)" : "");

        // started: the payer has opened it already.
        public override string? ActionUrlOf(PaymentLink item) => item.Status == LinkStatuses.Created ? item.WebUrl : null;
    }
}
