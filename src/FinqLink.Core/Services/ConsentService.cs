using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using FinqLink.Http;
using FinqLink.Models.Data;
using FinqLink.Options;
using FinqLink.Requests;
using FinqLink.Validation;

namespace FinqLink.Services
{
    /// <summary>AIS consents: ais/consents/create, get, revoke, and the direct_sca redirect.</summary>
    public sealed class ConsentService : ApiService
    {
        internal ConsentService(ApiTransport transport) : base(transport) { }

        public async Task<Consent> CreateAsync(ConsentCreateOptions options, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
        {
            var consent = await SendAsync<Consent>(CreateCall(options), requestOptions, cancellationToken).ConfigureAwait(false);
            consent.Status ??= ConsentStatuses.Created;       // ais/consents/create answers without a status
            return consent;
        }

        public static string Describe(ConsentCreateOptions options) => CreateCall(options).ToString();

        public Task<Consent> GetAsync(string consentId, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default) =>
            SendAsync<Consent>(Read("ais/consents/get", IdBody(consentId)), requestOptions, cancellationToken);

        /// <summary>Revokes; revoking a revoked consent is fine (FinqLink answers 200), so the call is retried like a read.</summary>
        public Task<Consent> RevokeAsync(string consentId, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default) =>
            SendAsync<Consent>(new ApiCall("ais/consents/revoke", IdBody(consentId), RequestKind.IdempotentUpdate), requestOptions, cancellationToken);

        /// <summary>direct_sca: hands FinqLink what the bank appended to the app's redirect URL (a code, or an error).</summary>
        public Task<Consent> CompleteAsync(string consentId, string? code, string? error, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default)
        {
            if (string.IsNullOrEmpty(code) && string.IsNullOrEmpty(error))
                throw new FinqLinkValidationException(ApiFields.RedirectCode, "is required: the bank's redirect carries a code (or an error)");
            var body = IdBody(consentId);
            if (Rules.MaxLength(ApiFields.RedirectCode, code, 256) is string given && given.Length > 0) body["code"] = given;
            if (Rules.MaxLength(ApiFields.RedirectError, error, 256) is string failed && failed.Length > 0) body["error"] = failed;
            // The bank's code is single-use: a blind retry could fail a consent that the first attempt activated.
            return SendAsync<Consent>(new ApiCall("ais/consents/redirect", body, RequestKind.Create), requestOptions, cancellationToken);
        }

        /// <summary>The current state of many consents, read a bounded number at a time.</summary>
        public Task<ManyResult<Consent>> GetManyAsync(System.Collections.Generic.IEnumerable<string> consentIds, RequestOptions? requestOptions = null, CancellationToken cancellationToken = default) =>
            ManyGets.ReadAsync(consentIds, (id, ct) => GetAsync(id, requestOptions, ct), cancellationToken);

        internal static JsonObject IdBody(string consentId) => new JsonObject { ["consent_id"] = Id(consentId) };

        internal static string Id(string consentId) => Rules.Required(ApiFields.ConsentId, consentId, 128);

        private static ApiCall CreateCall(ConsentCreateOptions options)
        {
            var request = RequestValidator.Consent(options);
            return new ApiCall("ais/consents/create", RequestBody.Of(request, Json.RequestJson.Default.ConsentCreateRequest, request.Merged), RequestKind.Create);
        }
    }
}
