using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Http;
using FinqLink.Models.Data;
using FinqLink.Services;

namespace FinqLink.Waiting
{
    /// <summary>Data refresh jobs until they complete (partly or whole); a failed job cannot get there.</summary>
    public sealed class DataRefreshGoal : WaitGoal<DataRefresh>
    {
        private readonly FinqLinkClient _client;
        private readonly RequestOptions? _options;
        private readonly IReadOnlyDictionary<string, string> _consentOfJob;

        public DataRefreshGoal(FinqLinkClient client, RequestOptions? options, IReadOnlyDictionary<string, string> consentOfJob)
        {
            _client = client;
            _options = options;
            _consentOfJob = consentOfJob;
        }

        public override string Description => RefreshStatuses.Completed;

        public override Task<ManyResult<DataRefresh>> PollAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
            _client.DataRefreshes.GetManyAsync(ids.ToDictionary(id => id, id => _consentOfJob[id], StringComparer.Ordinal), _options, cancellationToken);

        public override bool Reached(DataRefresh item) => item.Succeeded;

        public override bool CannotReach(DataRefresh item) => item.IsFinal;

        public override string? StatusOf(DataRefresh item) => item.Status;
    }
}
