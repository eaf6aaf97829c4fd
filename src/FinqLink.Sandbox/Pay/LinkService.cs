using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using FinqLink.Sandbox.Api;
using FinqLink.Sandbox.Infrastructure;
using FinqLink.Sandbox.Webhooks;

namespace FinqLink.Sandbox.Pay;

/// <summary>links/create, links/get and links/list, and the payer's side of a link's life.</summary>
public sealed class LinkService
{
    private static readonly TimeSpan DefaultExpiry = TimeSpan.FromDays(7);

    private readonly object _gate = new();
    private readonly SandboxContext _context;
    private readonly List<PaymentLink> _bySeq = new();
    private readonly Dictionary<string, PaymentLink> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PaymentLink> _byWebId = new(StringComparer.Ordinal);
    private readonly HashSet<string> _fingerprints = new(StringComparer.Ordinal);

    public LinkService(SandboxContext context)
    {
        _context = context;
    }

    public JsonObject Create(ApiCall call)
    {
        var transfer = Fields.Object(call.Body, "single_transfer", "single_transfer") ?? throw ApiException.Validation("single_transfer", "is required");
        ValidateTransfer(transfer);
        var options = CreateOptions.Parse(call, DefaultExpiry);
        var methods = PaymentMethodFilter.Select(Fields.Object(call.Body, "payment_method", "payment_method"));
        if (FlowType.FixesProviderAtCreation(options.FlowType) && methods.Select(m => m.ProviderId).Distinct().Count() != 1)
            throw new ApiException(400, "method_selection_error",
                $"payment_method: a {options.FlowType} link needs exactly one provider; set payment_method.provider_id");

        var now = _context.Time.GetUtcNow();
        PaymentLink link;
        bool duplicate;
        lock (_gate)
        {
            link = new PaymentLink
            {
                Seq = _bySeq.Count + 1, LinkId = _context.Ids.NewUuid(), WebId = _context.Ids.NewWebId(), ClientId = call.Client.ClientId,
                AppName = call.Client.AppName, FlowType = options.FlowType, CreatedAt = now, ExpiresAt = now + options.ExpiresIn,
                SingleTransfer = (JsonObject)transfer.DeepClone(), AllowedMethods = methods, WebhookUrl = options.WebhookUrl,
                RedirectUrl = options.RedirectUrl, UxTemplate = options.UxTemplate,
            };
            if (FlowType.FixesProviderAtCreation(options.FlowType))
            {
                link.SelectedMethod = methods[0];
                link.Status = LinkStatus.IntentAccepted;
            }
            _bySeq.Add(link);
            _byId[link.LinkId] = link;
            _byWebId[link.WebId] = link;
            duplicate = !_fingerprints.Add(call.Client.ClientId + "\n" + transfer.ToJsonString());
        }
        _context.Counters.LinkCreated(duplicate);

        var reply = call.Reply();
        reply["created_at"] = Json.Time(link.CreatedAt);
        reply["expires_at"] = Json.Time(link.ExpiresAt);
        reply["link_id"] = link.LinkId;
        reply["web_id"] = link.WebId;
        reply["web_url"] = link.FlowType is FlowType.DirectSca or FlowType.RedirectSca ? BankUrl(call.BaseUrl, link) : WebUiUrl(call.BaseUrl, link);
        return reply;
    }

    public JsonObject Get(ApiCall call)
    {
        var linkId = Fields.RequiredString(call.Body, "link_id", "link_id", 36);
        if (linkId.Length != 36) throw ApiException.Validation("link_id", "must be exactly 36 characters (a UUID)");
        var link = Find(call.Client.ClientId, linkId);
        var reply = call.Reply();
        lock (_gate) WriteDetails(reply, link, call.BaseUrl);
        return reply;
    }

    public JsonObject List(ApiCall call)
    {
        var filter = Fields.Object(call.Body, "filter", "filter") ?? new JsonObject();
        var status = Fields.String(filter, "status", "filter.status", 32);
        if (status is not null && !LinkStatus.All.Contains(status))
            throw ApiException.Validation("filter.status", "must be one of " + string.Join(", ", LinkStatus.All));
        var from = Fields.Timestamp(filter, "inserted_at_from", "filter.inserted_at_from");
        var to = Fields.Timestamp(filter, "inserted_at_to", "filter.inserted_at_to");
        var page = call.Route.IsV1 ? new PageRequest(int.MaxValue, null) : PageRequest.From(call.Body);

        var items = new JsonArray();
        long? lastSeq = null;
        var more = false;
        lock (_gate)
        {
            var start = page.After is { } after ? (int)Math.Min(after - 1, _bySeq.Count) - 1 : _bySeq.Count - 1;
            for (var i = start; i >= 0; i--)
            {
                var link = _bySeq[i];
                if (link.ClientId != call.Client.ClientId || (status is not null && link.Status != status)) continue;
                if ((from is not null && link.CreatedAt < from) || (to is not null && link.CreatedAt > to)) continue;
                if (items.Count == page.Limit) { more = true; break; }
                var item = new JsonObject();
                WriteSummary(item, link, call.BaseUrl);
                if (!call.Route.IsV1) item["keyset"] = Keyset.Encode(link.Seq);
                items.Add(item);
                lastSeq = link.Seq;
            }
        }
        var reply = call.ListReply();
        reply["links"] = items;
        if (!call.Route.IsV1) reply["pagination"] = PageRequest.Reply(items.Count, more, more ? lastSeq : null);
        return reply;
    }

    public PaymentLink? FindByWebId(string webId)
    {
        lock (_gate) return _byWebId.GetValueOrDefault(webId);
    }

    public PaymentLink? FindById(string linkId)
    {
        lock (_gate) return _byId.GetValueOrDefault(linkId);
    }

    /// <summary>The payer opened the WebUI page: a payment session now exists.</summary>
    public void Open(PaymentLink link) => Advance(link, LinkStatus.Created, LinkStatus.Started);

    /// <summary>
    /// The payer approves with <paramref name="providerId"/>: the bank flow then runs in the background,
    /// one status per <see cref="SandboxSettings.BankStepDelay"/>, ending in completed (and funds_received for libra_ro).
    /// </summary>
    public void Approve(PaymentLink link, string? providerId)
    {
        lock (_gate)
        {
            ThrowIfNotPayable(link);
            var method = link.SelectedMethod ?? link.AllowedMethods.FirstOrDefault(m => providerId is null || m.ProviderId == providerId)
                ?? throw new ApiException(400, "method_selection_error", $"provider_id: {providerId} is not allowed by this link's payment_method filter");
            link.SelectedMethod = method;
        }
        var path = new List<string> { LinkStatus.Started, LinkStatus.Requested, LinkStatus.IntentAccepted, LinkStatus.AwaitingAuthz,
            LinkStatus.Received, LinkStatus.Submitted, LinkStatus.Completed };
        if (link.SelectedMethod!.ProviderId == "libra_ro") path.Add(LinkStatus.FundsReceived);
        RunBankFlow(link, path);
    }

    public void Reject(PaymentLink link)
    {
        lock (_gate) ThrowIfNotPayable(link);
        RunBankFlow(link, new List<string> { LinkStatus.AwaitingAuthz, LinkStatus.Failed });
    }

    /// <summary>Sets a status directly (control API) and notifies the link's webhook.</summary>
    public void Force(PaymentLink link, string status)
    {
        if (!LinkStatus.All.Contains(status)) throw ApiException.Validation("status", "must be one of " + string.Join(", ", LinkStatus.All));
        lock (_gate) link.Status = status;
        Notify(link, status);
    }

    private void RunBankFlow(PaymentLink link, List<string> path)
    {
        string current;
        lock (_gate) current = link.Status;
        var remaining = path.Skip(path.IndexOf(current) + 1);
        Steps.RunInBackground(remaining.Select(next => (Func<bool>)(() => Advance(link, null, next))), () => _context.Settings.BankStepDelay, _context.Stopping);
    }

    private bool Advance(PaymentLink link, string? expected, string next)
    {
        lock (_gate)
        {
            if (expected is not null && link.Status != expected) return false;
            if (LinkStatus.IsFinal(link.Status)) return false;
            link.Status = next;
        }
        Notify(link, next);
        return true;
    }

    private void ThrowIfNotPayable(PaymentLink link)
    {
        if (link.IsExpiredAt(_context.Time.GetUtcNow())) throw new ApiException(400, "link_expired", "The payment link has expired.");
        if (LinkStatus.IsFinal(link.Status)) throw new ApiException(400, "unprocessable_entity", $"The payment link is already {link.Status}.");
    }

    private void Notify(PaymentLink link, string status) => _context.Webhooks.Send(link.WebhookUrl, new JsonObject
    {
        ["type"] = "link_status_update", ["link_id"] = link.LinkId, ["web_id"] = link.WebId, ["status"] = status,
    });

    private PaymentLink Find(string clientId, string linkId)
    {
        var link = FindById(linkId);
        if (link is null || link.ClientId != clientId) throw ApiException.NotFound("not_found", $"link_id: no link {linkId} exists for this API client");
        return link;
    }

    private void WriteSummary(JsonObject item, PaymentLink link, string baseUrl)
    {
        item["link_id"] = link.LinkId;
        item["web_id"] = link.WebId;
        item["web_url"] = link.FlowType == FlowType.DirectSca ? null : WebUiUrl(baseUrl, link);
        item["status"] = link.Status;
        item["created_at"] = Json.Time(link.CreatedAt);
        item["expires_at"] = Json.Time(link.ExpiresAt);
        item["is_expired"] = link.IsExpiredAt(_context.Time.GetUtcNow());
    }

    private void WriteDetails(JsonObject reply, PaymentLink link, string baseUrl)
    {
        WriteSummary(reply, link, baseUrl);
        if (link.SelectedMethod is { } method)
        {
            reply["payment_method"] = ProviderJson.Method(method, asArray: true);
            var provider = ProviderCatalog.Find(method.ProviderId)!;
            reply["service_provider"] = new JsonObject { ["provider_id"] = provider.ProviderId, ["name"] = provider.Name, ["bic"] = provider.Bic };
        }
    }

    private static string WebUiUrl(string baseUrl, PaymentLink link) => $"{baseUrl}/webui/pay/{link.WebId}";

    private static string BankUrl(string baseUrl, PaymentLink link) => $"{baseUrl}/bank/{link.SelectedMethod!.ProviderId}/authorize/{link.WebId}";

    private static void ValidateTransfer(JsonObject transfer)
    {
        Fields.Amount(transfer, "amount", "single_transfer.amount");
        Fields.Currency(transfer, "currency", "single_transfer.currency");
        if (Fields.Object(transfer, "creditor", "single_transfer.creditor") is { } creditor)
        {
            Fields.String(creditor, "name", "single_transfer.creditor.name", 140);
            Fields.Iban(creditor, "iban", "single_transfer.creditor.iban");
        }
        if (Fields.Object(transfer, "debtor", "single_transfer.debtor") is { } debtor)
        {
            Fields.Iban(debtor, "iban", "single_transfer.debtor.iban");
            Fields.String(debtor, "psu_id", "single_transfer.debtor.psu_id", 64);
        }
        Fields.String(transfer, "remittance_information", "single_transfer.remittance_information", 140);
    }
}
