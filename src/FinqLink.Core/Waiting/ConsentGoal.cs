using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Http;
using FinqLink.Models.Data;
using FinqLink.Services;

namespace FinqLink.Waiting
{
    /// <summary>Consents until active (or one of <c>statuses</c>); a consent that ends (expired, revoked, failed, suspended) cannot get there.</summary>
    public sealed class ConsentGoal : WaitGoal<Consent>
    {
        private readonly FinqLinkClient _client;
        private readonly RequestOptions? _options;
        private readonly IReadOnlyCollection<string>? _statuses;

        public ConsentGoal(FinqLinkClient client, RequestOptions? options, IReadOnlyCollection<string>? statuses)
        {
            _client = client;
            _options = options;
            _statuses = statuses;
        }

        public override string Description => _statuses == null ? "active" : string.Join(" or ", _statuses);

        public override Task<ManyResult<Consent>> PollAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
            _client.Consents.GetManyAsync(ids, _options, cancellationToken);

        public override bool Reached(Consent item) => _statuses == null ? item.IsActive : _statuses.Contains(item.Status);

        public override bool CannotReach(Consent item) => item.IsTerminal;

        public override string? StatusOf(Consent item) => item.Status;

        // started: the account holder is on it already.
        public override string? ActionUrlOf(Consent item) => item.Status == ConsentStatuses.Created ? item.WebUrl : null;
    }
}
