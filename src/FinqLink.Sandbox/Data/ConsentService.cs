using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using FinqLink.Sandbox.Api;
using FinqLink.Sandbox.Infrastructure;
using FinqLink.Sandbox.Pay;
using FinqLink.Sandbox.Webhooks;

namespace FinqLink.Sandbox.Data;

/// <summary>ais/consents/create|get|revoke|redirect and the PSU's side of a consent's life.</summary>
public sealed class ConsentService
{
    private static readonly TimeSpan DefaultExpiry = TimeSpan.FromDays(1);
    private const int DefaultValidityDays = 90;
    private const int MaxValidityDays = 180;

    private readonly object _gate = new();
    private readonly SandboxContext _context;
    private readonly Dictionary<string, Consent> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Consent> _byWebId = new(StringComparer.Ordinal);

    public ConsentService(SandboxContext context)
    {
        _context = context;
    }

    public JsonObject Create(ApiCall call)
    {
        var request = Fields.Object(call.Body, "consent", "consent") ?? new JsonObject();
        var scope = Fields.StringList(request, "scope", "consent.scope")?.ToArray() ?? Consent.FullScope;
        if (!scope.OrderBy(s => s).SequenceEqual(Consent.FullScope.OrderBy(s => s)) && !scope.OrderBy(s => s).SequenceEqual(Consent.LimitedScope.OrderBy(s => s)))
            throw ApiException.Validation("consent.scope", "must be [\"accounts\",\"balances\",\"transactions\"] or [\"accounts\",\"balances\"]");
        var validity = Fields.Integer(request, "consent_validity_days", "consent.consent_validity_days") ?? DefaultValidityDays;
        if (validity < 1 || validity > MaxValidityDays)
            throw ApiException.Validation("consent.consent_validity_days", $"must be between 1 and {MaxValidityDays}");
        var options = CreateOptions.Parse(call, DefaultExpiry);
        var methods = AisMethodFilter.Select(Fields.Object(call.Body, "ais_method", "ais_method"));
        if (FlowType.FixesProviderAtCreation(options.FlowType) && methods.Select(m => m.ProviderId).Distinct().Count() != 1)
            throw new ApiException(400, "method_selection_error", $"ais_method: a {options.FlowType} consent needs exactly one provider; set ais_method.provider_id");

        var now = _context.Time.GetUtcNow();
        var consentId = _context.Ids.NewUuid();
        var consent = new Consent
        {
            ConsentId = consentId, WebId = _context.Ids.NewWebId(), ClientId = call.Client.ClientId, AppName = call.Client.AppName,
            FlowType = options.FlowType, Scope = scope, ValidityDays = (int)validity, CreatedAt = now, ExpiresAt = now + options.ExpiresIn,
            AllowedMethods = methods, DataSeed = DataGenerator.SeedFrom(consentId) ^ (ulong)_context.Settings.Seed,
            TransactionCount = _context.Settings.TransactionsPerConsent, WebhookUrl = options.WebhookUrl, RedirectUrl = options.RedirectUrl,
            UxTemplate = options.UxTemplate,
        };
        if (FlowType.FixesProviderAtCreation(options.FlowType))
        {
            consent.SelectedMethod = methods[0];
            consent.Status = ConsentStatus.ScaUrlRetrieved;
        }
        lock (_gate)
        {
            _byId[consent.ConsentId] = consent;
            _byWebId[consent.WebId] = consent;
        }
        _context.Counters.ConsentCreated();

        var reply = call.Reply();
        reply["created_at"] = Json.Time(consent.CreatedAt);
        reply["expires_at"] = Json.Time(consent.ExpiresAt);
        reply["consent_validity_days"] = consent.ValidityDays;
        reply["consent_id"] = consent.ConsentId;
        reply["web_id"] = consent.WebId;
        reply["web_url"] = consent.FlowType is FlowType.DirectSca or FlowType.RedirectSca ? BankUrl(call.BaseUrl, consent) : WebUiUrl(call.BaseUrl, consent);
        return reply;
    }

    public JsonObject Get(ApiCall call)
    {
        var consent = Find(call);
        var reply = call.Reply();
        lock (_gate)
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
                reply["service_provider"] = ServiceProvider(method);
            }
            if (consent.Status == ConsentStatus.Active)
                reply["accounts"] = new JsonArray(new AccountData(consent).Accounts
                    .Select(a => (JsonNode?)new JsonObject { ["id"] = a.Id, ["iban"] = a.Iban, ["currency"] = a.Currency }).ToArray());
        }
        return reply;
    }

    public JsonObject Revoke(ApiCall call)
    {
        var consent = Find(call);
        lock (_gate)
        {
            if (consent.Status is ConsentStatus.Expired or ConsentStatus.Failed or ConsentStatus.Suspended)
                throw new ApiException(400, "consent_not_active", $"consent_id: the consent is {consent.Status} and cannot be revoked");
            var changed = consent.Status != ConsentStatus.Revoked;
            consent.Status = ConsentStatus.Revoked;
            if (changed) Notify(consent, ConsentStatus.Revoked);
        }
        var reply = call.Reply();
        reply["consent_id"] = consent.ConsentId;
        reply["status"] = ConsentStatus.Revoked;
        return reply;
    }

    /// <summary>
    /// direct_sca: the app hands over what the bank appended to its redirect URL (<c>code</c>, or <c>error</c>).
    /// </summary>
    public JsonObject Redirect(ApiCall call)
    {
        var consent = Find(call);
        var code = Fields.String(call.Body, "code", "code", 256);
        var error = Fields.String(call.Body, "error", "error", 256);
        if (code is null && error is null) throw ApiException.Validation("code", "is required (or error, when the bank reported one)");
        lock (_gate)
        {
            if (consent.FlowType != FlowType.DirectSca) throw new ApiException(400, "bad_request", "consent_id: only direct_sca consents take a redirect");
            if (consent.Status != ConsentStatus.AwaitingAuthz)
                throw new ApiException(400, "bad_request", $"consent_id: the consent is {consent.Status}, not awaiting_authz");
            if (error is not null || code != consent.PendingRedirectCode)
            {
                Set(consent, ConsentStatus.Failed);
                throw new ApiException(400, "unprocessable_entity", "code: the bank did not confirm the authorisation");
            }
            consent.PendingRedirectCode = null;
        }
        Activate(consent);
        var reply = call.Reply();
        reply["consent_id"] = consent.ConsentId;
        lock (_gate) reply["status"] = consent.Status;
        return reply;
    }

    /// <summary>The consent for a data call, which must be active.</summary>
    public Consent FindActive(ApiCall call)
    {
        var consent = Find(call);
        lock (_gate)
            if (consent.Status != ConsentStatus.Active)
                throw new ApiException(400, "consent_not_active", $"consent_id: the consent is {consent.Status}, not active");
        return consent;
    }

    public Consent Find(ApiCall call)
    {
        var id = Fields.RequiredString(call.Body, "consent_id", "consent_id", 128);
        var consent = FindById(id);
        if (consent is null || consent.ClientId != call.Client.ClientId)
            throw ApiException.NotFound("consent_not_found", $"consent_id: no consent {id} exists for this API client");
        return consent;
    }

    public Consent? FindById(string consentId)
    {
        lock (_gate)
        {
            var consent = _byId.GetValueOrDefault(consentId);
            if (consent is not null) ApplyClock(consent);
            return consent;
        }
    }

    public Consent? FindByWebId(string webId)
    {
        lock (_gate) return _byWebId.TryGetValue(webId, out var c) ? FindById(c.ConsentId) : null;
    }

    public void Open(Consent consent)
    {
        lock (_gate) if (consent.Status == ConsentStatus.Created) Set(consent, ConsentStatus.Started);
    }

    /// <summary>The PSU approves at <paramref name="providerId"/>'s bank: the consent walks to active (direct_sca stops at awaiting_authz for the redirect).</summary>
    public string? Approve(Consent consent, string? providerId)
    {
        lock (_gate)
        {
            ThrowIfNotPending(consent);
            consent.SelectedMethod ??= consent.AllowedMethods.FirstOrDefault(m => providerId is null || m.ProviderId == providerId)
                ?? throw new ApiException(400, "method_selection_error", $"provider_id: {providerId} is not allowed by this consent's ais_method filter");
            if (consent.FlowType == FlowType.DirectSca)
            {
                Set(consent, ConsentStatus.AwaitingAuthz);
                return consent.PendingRedirectCode = _context.Ids.NewWebId();
            }
        }
        var path = new List<string> { ConsentStatus.Started, ConsentStatus.Requested, ConsentStatus.ScaUrlRetrieved, ConsentStatus.AwaitingAuthz, ConsentStatus.Authorized };
        string current;
        lock (_gate) current = consent.Status;
        var steps = path.Skip(path.IndexOf(current) + 1).Select(next => (Func<bool>)(() => Advance(consent, next))).ToList();
        steps.Add(() => { Activate(consent); return true; });
        Steps.RunInBackground(steps, () => _context.Settings.BankStepDelay, _context.Stopping);
        return null;
    }

    public void Reject(Consent consent)
    {
        lock (_gate)
        {
            ThrowIfNotPending(consent);
            Set(consent, ConsentStatus.Failed);
        }
    }

    public void Force(Consent consent, string status)
    {
        if (!ConsentStatus.All.Contains(status)) throw ApiException.Validation("status", "must be one of " + string.Join(", ", ConsentStatus.All));
        if (status == ConsentStatus.Active) { Activate(consent); return; }
        lock (_gate) Set(consent, status);
    }

    public void AddNewerTransactions(Consent consent, int count)
    {
        lock (_gate) consent.NewerTransactions += count;
    }

    public void MarkJobStarted(Consent consent, DateTimeOffset at)
    {
        lock (_gate)
        {
            var cooldownEnds = consent.LastJobStartedAt + _context.Settings.JobCooldown;
            if (cooldownEnds > at)
                throw new ApiException(400, "cooldown_failed",
                    $"consent_id: a data refresh started at {Json.Time(consent.LastJobStartedAt)}; the next one is allowed from {Json.Time(cooldownEnds)}");
            consent.LastJobStartedAt = at;
        }
    }

    public static JsonObject ServiceProvider(AisMethod method)
    {
        var provider = ProviderCatalog.Find(method.ProviderId)!;
        return new JsonObject { ["provider_id"] = provider.ProviderId, ["name"] = provider.Name, ["bic"] = provider.Bic };
    }

    private void Activate(Consent consent)
    {
        lock (_gate)
        {
            if (ConsentStatus.IsInactive(consent.Status)) return;
            consent.SelectedMethod ??= consent.AllowedMethods[0];
            consent.AuthorizedUntil = _context.Time.GetUtcNow().AddDays(consent.ValidityDays);
            Set(consent, ConsentStatus.Active);
        }
    }

    private bool Advance(Consent consent, string next)
    {
        lock (_gate)
        {
            if (!ConsentStatus.IsPending(consent.Status)) return false;
            Set(consent, next);
            return true;
        }
    }

    /// <summary>Link expiry and end of validity take effect when the consent is next looked at.</summary>
    private void ApplyClock(Consent consent)
    {
        var now = _context.Time.GetUtcNow();
        if (ConsentStatus.IsPending(consent.Status) && consent.Status != ConsentStatus.Authorized && now >= consent.ExpiresAt) Set(consent, ConsentStatus.Expired);
        else if (consent.Status == ConsentStatus.Active && now >= consent.AuthorizedUntil) Set(consent, ConsentStatus.Revoked);
    }

    private void ThrowIfNotPending(Consent consent)
    {
        ApplyClock(consent);
        if (consent.Status == ConsentStatus.Expired) throw new ApiException(400, "link_expired", "The consent link has expired.");
        if (!ConsentStatus.IsPending(consent.Status)) throw new ApiException(400, "unprocessable_entity", $"The consent is already {consent.Status}.");
    }

    private void Set(Consent consent, string status)
    {
        consent.Status = status;
        Notify(consent, status);
    }

    private void Notify(Consent consent, string status) => _context.Webhooks.Send(consent.WebhookUrl, new JsonObject
    {
        ["type"] = "consent_status_update", ["consent_id"] = consent.ConsentId, ["web_id"] = consent.WebId, ["status"] = status,
    });

    private static string WebUiUrl(string baseUrl, Consent consent) => $"{baseUrl}/webui/consent/{consent.WebId}";

    private static string BankUrl(string baseUrl, Consent consent) => $"{baseUrl}/bank/{consent.SelectedMethod!.ProviderId}/consent/{consent.WebId}";
}
