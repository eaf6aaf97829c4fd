using System;
using System.Linq;
using System.Text.Json.Nodes;
using FinqLink.Sandbox.Api;
using FinqLink.Sandbox.Infrastructure;

namespace FinqLink.Sandbox.Pay;

/// <summary>links/create, links/get and links/list.</summary>
public sealed class LinkHandlers(LinkStore store, LinkLifecycle lifecycle, IdGenerator ids, Counters counters, TimeProvider time)
{
    private static readonly TimeSpan DefaultExpiry = TimeSpan.FromDays(7);

    public JsonObject Create(ApiCall call)
    {
        var transfer = Fields.Object(call.Body, "single_transfer", "single_transfer") ?? throw ApiException.Validation("single_transfer", "is required");
        ValidateTransfer(transfer);
        var options = CreateOptions.Parse(call, DefaultExpiry);
        var methods = PaymentMethodFilter.Select(Fields.Object(call.Body, "payment_method", "payment_method"));
        options.RequireOneProviderWhenFixed(methods.Select(m => m.ProviderId), "payment_method");

        var now = time.GetUtcNow();
        var (link, duplicate) = store.Add(seq => new PaymentLink
        {
            Seq = seq, LinkId = ids.NewUuid(), WebId = ids.NewWebId(), ClientId = call.Client.ClientId, AppName = call.Client.AppName,
            FlowType = options.FlowType, CreatedAt = now, ExpiresAt = now + options.ExpiresIn, SingleTransfer = (JsonObject)transfer.DeepClone(),
            AllowedMethods = methods, WebhookUrl = options.WebhookUrl, RedirectUrl = options.RedirectUrl, UxTemplate = options.UxTemplate,
            SelectedMethod = FlowType.FixesProviderAtCreation(options.FlowType) ? methods[0] : null,
            Status = FlowType.FixesProviderAtCreation(options.FlowType) ? LinkStatus.IntentAccepted : LinkStatus.Created,
        }, call.Client.ClientId + "\n" + transfer.ToJsonString());
        counters.LinkCreated(duplicate);

        var reply = call.Reply();
        reply["created_at"] = Json.Time(link.CreatedAt);
        reply["expires_at"] = Json.Time(link.ExpiresAt);
        reply["link_id"] = link.LinkId;
        reply["web_id"] = link.WebId;
        reply["web_url"] = FlowType.UsesBankUrl(link.FlowType) ? BankUrl(call.BaseUrl, link) : WebUiUrl(call.BaseUrl, link);
        return reply;
    }

    public JsonObject Get(ApiCall call)
    {
        var linkId = Fields.RequiredString(call.Body, "link_id", "link_id", 36);
        if (linkId.Length != 36) throw ApiException.Validation("link_id", "must be exactly 36 characters (a UUID)");
        var link = store.FindById(linkId);
        if (link is null || link.ClientId != call.Client.ClientId) throw ApiException.NotFound("not_found", $"link_id: no link {linkId} exists for this API client");
        var reply = call.Reply();
        WriteSummary(reply, link, call);
        lock (link)
            if (link.SelectedMethod is { } method)
            {
                reply["payment_method"] = ProviderJson.Method(method, asArray: !call.IsV1);
                reply["service_provider"] = ProviderJson.ServiceProvider(method.ProviderId);
            }
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
        var page = call.IsV1 ? new PageRequest(int.MaxValue, null) : PageRequest.From(call.Body);

        var items = new JsonArray();
        long? lastSeq = null;
        var more = false;
        foreach (var link in store.NewestFirst(page.After))
        {
            if (link.ClientId != call.Client.ClientId || (status is not null && Status(link, call) != status)) continue;
            if ((from is not null && link.CreatedAt < from) || (to is not null && link.CreatedAt > to)) continue;
            if (items.Count == page.Limit) { more = true; break; }
            var item = new JsonObject();
            WriteSummary(item, link, call);
            if (!call.IsV1) item["keyset"] = Keyset.Encode(link.Seq);
            items.Add(item);
            lastSeq = link.Seq;
        }
        var reply = call.ListReply();
        reply["links"] = items;
        if (!call.IsV1) reply["pagination"] = PageRequest.Reply(items.Count, more, more ? lastSeq : null);
        return reply;
    }

    public static string WebUiUrl(string baseUrl, PaymentLink link) => $"{baseUrl}/webui/pay/{link.WebId}";

    private static string BankUrl(string baseUrl, PaymentLink link) => $"{baseUrl}/bank/{link.SelectedMethod!.ProviderId}/authorize/{link.WebId}";

    private static string Status(PaymentLink link, ApiCall call)
    {
        lock (link) return call.IsV1 ? LinkStatus.AsV1(link.Status) : link.Status;
    }

    private void WriteSummary(JsonObject item, PaymentLink link, ApiCall call)
    {
        item["link_id"] = link.LinkId;
        item["web_id"] = link.WebId;
        item["web_url"] = link.FlowType == FlowType.DirectSca ? null : WebUiUrl(call.BaseUrl, link);
        item["status"] = Status(link, call);
        item["created_at"] = Json.Time(link.CreatedAt);
        item["expires_at"] = Json.Time(link.ExpiresAt);
        item["is_expired"] = lifecycle.IsExpired(link);
    }

    private static void ValidateTransfer(JsonObject transfer)
    {
        var currency = Fields.Currency(transfer, "currency", "single_transfer.currency");
        Fields.AmountInCurrency(transfer, "amount", "single_transfer.amount", currency);
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
