using System;
using System.Linq;
using System.Text.Json.Nodes;
using FinqLink.Sandbox.Api;
using FinqLink.Sandbox.Infrastructure;
using FinqLink.Sandbox.Pay;

namespace FinqLink.Sandbox.Data;

/// <summary>ais/consents/create, get, revoke and redirect.</summary>
public sealed class ConsentHandlers(ConsentStore store, ConsentLifecycle lifecycle, ConsentLookup lookup, SandboxSettings settings, IdGenerator ids, Counters counters, TimeProvider time)
{
    private static readonly TimeSpan DefaultExpiry = TimeSpan.FromDays(1);
    private const int DefaultValidityDays = 90;
    public const int MaxValidityDays = 180;

    public JsonObject Create(ApiCall call)
    {
        var request = Fields.Object(call.Body, "consent", "consent") ?? new JsonObject();
        var scope = Fields.StringList(request, "scope", "consent.scope")?.ToArray() ?? Consent.FullScope;
        if (!SameSet(scope, Consent.FullScope) && !SameSet(scope, Consent.LimitedScope))
            throw ApiException.Validation("consent.scope", "must be [\"accounts\",\"balances\",\"transactions\"] or [\"accounts\",\"balances\"]");
        var validity = Fields.Integer(request, "consent_validity_days", "consent.consent_validity_days") ?? DefaultValidityDays;
        if (validity < 1 || validity > MaxValidityDays)
            throw ApiException.Validation("consent.consent_validity_days", $"must be between 1 and {MaxValidityDays}");
        var options = CreateOptions.Parse(call, DefaultExpiry);
        var methods = AisMethodFilter.Select(Fields.Object(call.Body, "ais_method", "ais_method"));
        options.RequireOneProviderWhenFixed(methods.Select(m => m.ProviderId), "ais_method");

        var now = time.GetUtcNow();
        var consentId = ids.NewUuid();
        var fixedProvider = FlowType.FixesProviderAtCreation(options.FlowType);
        var consent = new Consent
        {
            ConsentId = consentId, WebId = ids.NewWebId(), ClientId = call.Client.ClientId, AppName = call.Client.AppName,
            FlowType = options.FlowType, Scope = scope, ValidityDays = (int)validity, CreatedAt = now, ExpiresAt = now + options.ExpiresIn,
            AllowedMethods = methods, DataSeed = DataGenerator.SeedFrom(consentId) ^ (ulong)settings.Seed,
            TransactionCount = settings.TransactionsPerConsent, WebhookUrl = options.WebhookUrl, RedirectUrl = options.RedirectUrl,
            UxTemplate = options.UxTemplate,
            SelectedMethod = fixedProvider ? methods[0] : null,
            Status = fixedProvider ? ConsentStatus.ScaUrlRetrieved : ConsentStatus.Created,
        };
        store.Add(consent);
        counters.ConsentCreated();

        var reply = call.Reply();
        reply["created_at"] = Json.Time(consent.CreatedAt);
        reply["expires_at"] = Json.Time(consent.ExpiresAt);
        reply["consent_validity_days"] = consent.ValidityDays;
        reply["consent_id"] = consent.ConsentId;
        reply["web_id"] = consent.WebId;
        reply["web_url"] = FlowType.UsesBankUrl(consent.FlowType) ? BankUrl(call.BaseUrl, consent) : WebUiUrl(call.BaseUrl, consent);
        return reply;
    }

    public JsonObject Get(ApiCall call)
    {
        var consent = lookup.Find(call);
        var reply = call.Reply();
        lock (consent)
        {
            reply["status"] = consent.Status;
            reply["expires_at"] = Json.Time(consent.ExpiresAt);
            reply["consent_validity_days"] = consent.ValidityDays;
            reply["authorized_until"] = Json.Time(consent.AuthorizedUntil);
            reply["consent_id"] = consent.ConsentId;
            reply["web_id"] = consent.WebId;
            reply["web_url"] = consent.FlowType == FlowType.DirectSca ? null : WebUiUrl(call.BaseUrl, consent);
            reply["scope"] = new JsonArray(consent.Scope.Select(s => (JsonNode?)s).ToArray());
            if (consent.SelectedMethod is { } method)
            {
                reply["ais_method"] = ProviderJson.AisMethod(method);
                reply["service_provider"] = ProviderJson.ServiceProvider(method.ProviderId);
            }
            if (consent.Status == ConsentStatus.Active)
                reply["accounts"] = new JsonArray(new AccountData(consent).Accounts
                    .Select(a => (JsonNode?)new JsonObject { ["id"] = a.Id, ["iban"] = a.Iban, ["currency"] = a.Currency }).ToArray());
        }
        return reply;
    }

    public JsonObject Revoke(ApiCall call)
    {
        var consent = lookup.Find(call);
        lifecycle.Revoke(consent);
        var reply = call.Reply();
        reply["consent_id"] = consent.ConsentId;
        reply["status"] = ConsentStatus.Revoked;
        return reply;
    }

    /// <summary>direct_sca: the app hands over what the bank appended to its redirect URL (<c>code</c>, or <c>error</c>).</summary>
    public JsonObject Redirect(ApiCall call)
    {
        var consent = lookup.Find(call);
        var code = Fields.String(call.Body, "code", "code", 256);
        var error = Fields.String(call.Body, "error", "error", 256);
        if (code is null && error is null) throw ApiException.Validation("code", "is required (or error, when the bank reported one)");
        lifecycle.CompleteRedirect(consent, code, error);
        var reply = call.Reply();
        reply["consent_id"] = consent.ConsentId;
        lock (consent) reply["status"] = consent.Status;
        return reply;
    }

    public static string WebUiUrl(string baseUrl, Consent consent) => $"{baseUrl}/webui/consent/{consent.WebId}";

    private static string BankUrl(string baseUrl, Consent consent) => $"{baseUrl}/bank/{consent.SelectedMethod!.ProviderId}/consent/{consent.WebId}";

    private static bool SameSet(string[] a, string[] b) => a.Order().SequenceEqual(b.Order());
}
