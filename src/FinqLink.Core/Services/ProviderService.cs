using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Http;
using FinqLink.Json;
using FinqLink.Models;
using FinqLink.Options;
using FinqLink.Requests;
using FinqLink.Validation;

namespace FinqLink.Services
{
    /// <summary>providers/list and providers/get: the banks, their payment methods and AIS methods.</summary>
    public sealed class ProviderService : ApiService
    {
        internal ProviderService(ApiTransport transport) : base(transport) { }

        public async Task<IReadOnlyList<Provider>> ListAsync(ProviderListOptions? options = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
        {
            var call = new ApiCall("providers/list", RequestBody.Of(RequestValidator.Providers(options), RequestJson.Default.ProviderRequest), RequestKind.Read);
            var answer = await SendAsync<ProviderList>(call, requestOptions, cancellationToken).ConfigureAwait(false);
            return answer.Providers ?? Array.Empty<Provider>();
        }

        public async Task<Provider> GetAsync(string providerId, ProviderListOptions? options = null, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
        {
            var request = RequestValidator.Providers(options).For(Rules.Required(ApiFields.ProviderId, providerId, 64));
            var call = new ApiCall("providers/get", RequestBody.Of(request, RequestJson.Default.ProviderRequest), RequestKind.Read);
            var answer = await SendAsync<ProviderAnswer>(call, requestOptions, cancellationToken).ConfigureAwait(false);
            return answer.Provider ?? throw new FinqLinkResponseException("providers/get: the answer has no provider.", new System.IO.InvalidDataException());
        }
    }
}
