using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Http;
using FinqLink.Json;
using FinqLink.Models;
using FinqLink.Models.Data;
using FinqLink.Options;
using FinqLink.Paging;
using FinqLink.Requests;
using FinqLink.Validation;

namespace FinqLink.Services
{
    /// <summary>ais/accounts/list: a consent's accounts with their latest balances (not paged).</summary>
    public sealed class AccountService : ApiService
    {
        internal AccountService(ApiTransport transport) : base(transport) { }

        public async Task<IReadOnlyList<Account>> ListAsync(string consentId, AccountListOptions? filter = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
        {
            var call = ListCall("ais/accounts/list", ConsentService.Id(consentId), RequestValidator.Accounts(filter), RequestJson.Default.ListRequestAccountFilter);
            var accounts = (await SendAsync<AccountList>(call, requestOptions, cancellationToken).ConfigureAwait(false)).Accounts ?? Array.Empty<Account>();
            foreach (var account in accounts) account.ConsentId = consentId;
            return accounts;
        }
    }

    /// <summary>ais/balances/list: a consent's balance history, streamed a page at a time.</summary>
    public sealed class BalanceService : ApiService
    {
        private readonly AccountService _accounts;

        internal BalanceService(ApiTransport transport) : base(transport) => _accounts = new AccountService(transport);

        public PagedList<Balance> List(string consentId, BalanceListOptions? filter = null, PageOptions? paging = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default) =>
            List<BalancePage, Balance>(Call(consentId, filter), paging, requestOptions, cancellationToken, b => b.ConsentId = consentId);

        /// <summary>
        /// A consent's balances one account after another, in accounts/list's order: balances/list interleaves the accounts
        /// by date, and a view that groups rows by account would show a header every few rows. Each account's balances come
        /// from balances/list filtered by account_id (a documented filter), so rows still stream page by page, for one more
        /// request (accounts/list). <paramref name="filter"/>'s account is ignored.
        /// </summary>
        public PagedList<Balance> ListByAccount(string consentId, BalanceListOptions? filter = null, PageOptions? paging = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
        {
            Call(consentId, filter);     // bad values are refused now, not at the first page
            return new PagedList<Balance>(ct => ByAccount(consentId, filter, paging, requestOptions, ct), cancellationToken);
        }

        private async IAsyncEnumerable<IReadOnlyList<Balance>> ByAccount(string consentId, BalanceListOptions? filter, PageOptions? paging, RequestOptions? requestOptions,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (var account in await _accounts.ListAsync(consentId, null, requestOptions, cancellationToken).ConfigureAwait(false))
            {
                var ofAccount = new BalanceListOptions { AccountId = account.AccountId, Type = filter?.Type, Currency = filter?.Currency };
                await foreach (var page in Pages<BalancePage, Balance>(Call(consentId, ofAccount), paging, requestOptions, cancellationToken, b => b.ConsentId = consentId).ConfigureAwait(false))
                    yield return page;
            }
        }

        private static ApiCall Call(string consentId, BalanceListOptions? filter) =>
            ListCall("ais/balances/list", ConsentService.Id(consentId), RequestValidator.Balances(filter), RequestJson.Default.ListRequestBalanceFilter);
    }

    /// <summary>ais/transactions/list: a consent's transactions, newest booking first, streamed a page at a time.</summary>
    public sealed class TransactionService : ApiService
    {
        internal TransactionService(ApiTransport transport) : base(transport) { }

        public PagedList<Transaction> List(string consentId, TransactionListOptions? filter = null, PageOptions? paging = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
        {
            var call = ListCall("ais/transactions/list", ConsentService.Id(consentId), RequestValidator.Transactions(filter), RequestJson.Default.ListRequestTransactionFilter);
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
            if (Rules.HttpUrl(ApiFields.CallbackUrl, callbackUrl) is string callback) body["callback_url"] = callback;
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
