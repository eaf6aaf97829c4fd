using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Http;
using FinqLink.Models;
using FinqLink.Models.Data;
using FinqLink.Options;
using FinqLink.Paging;
using FinqLink.Validation;

namespace FinqLink.Services
{
    /// <summary>ais/accounts/list: a consent's accounts with their latest balances (not paged).</summary>
    public sealed class AccountService : ApiService
    {
        internal AccountService(ApiTransport transport) : base(transport) { }

        public async Task<IReadOnlyList<Account>> ListAsync(string consentId, AccountListOptions? filter = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
        {
            var call = Filtered("ais/accounts/list", ConsentService.IdBody(consentId), (filter ?? new AccountListOptions()).ToFilter());
            var accounts = (await SendAsync<AccountList>(call, requestOptions, cancellationToken).ConfigureAwait(false)).Accounts ?? Array.Empty<Account>();
            foreach (var account in accounts) account.ConsentId = consentId;
            return accounts;
        }
    }

    /// <summary>ais/balances/list: a consent's balance history, streamed a page at a time.</summary>
    public sealed class BalanceService : ApiService
    {
        internal BalanceService(ApiTransport transport) : base(transport) { }

        public IEnumerable<Balance> List(string consentId, BalanceListOptions? filter = null, PageOptions? paging = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
        {
            var call = Filtered("ais/balances/list", ConsentService.IdBody(consentId), (filter ?? new BalanceListOptions()).ToFilter());
            return List<BalancePage, Balance>(call, paging, requestOptions, cancellationToken, b => b.ConsentId = consentId);
        }
    }

    /// <summary>ais/transactions/list: a consent's transactions, newest booking first, streamed a page at a time.</summary>
    public sealed class TransactionService : ApiService
    {
        internal TransactionService(ApiTransport transport) : base(transport) { }

        public IEnumerable<Transaction> List(string consentId, TransactionListOptions? filter = null, PageOptions? paging = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
        {
            var call = Filtered("ais/transactions/list", ConsentService.IdBody(consentId), (filter ?? new TransactionListOptions()).ToFilter());
            return List<TransactionPage, Transaction>(call, paging, requestOptions, cancellationToken, t => t.ConsentId = consentId);
        }
    }

    /// <summary>Data refreshes (ais/jobs/create and ais/jobs/get): the bank's data fetched again for a consent.</summary>
    public sealed class DataRefreshService : ApiService
    {
        internal DataRefreshService(ApiTransport transport) : base(transport) { }

        public Task<DataRefresh> StartAsync(string consentId, string? callbackUrl = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
        {
            var body = ConsentService.IdBody(consentId);
            BodyFields.Put(body, "callback_url", Rules.HttpUrl(ApiFields.CallbackUrl, callbackUrl));
            return SendAsync<DataRefresh>(new ApiCall("ais/jobs/create", body, RequestKind.Create), requestOptions, cancellationToken);
        }

        /// <summary>The current state of many refresh jobs (job id → its consent id), read a bounded number at a time.</summary>
        public Task<ManyResult<DataRefresh>> GetManyAsync(IReadOnlyDictionary<string, string> consentOfJob, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default) =>
            ManyGets.ReadAsync(consentOfJob.Keys, (job, ct) => GetAsync(consentOfJob[job], job, requestOptions, ct), cancellationToken);

        public Task<DataRefresh> GetAsync(string consentId, string jobId, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
        {
            var body = ConsentService.IdBody(consentId);
            body["job_id"] = Rules.Required(ApiFields.JobId, jobId, 64);
            return SendAsync<DataRefresh>(Read("ais/jobs/get", body), requestOptions, cancellationToken);
        }
    }
}
