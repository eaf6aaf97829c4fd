using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using FinqLink.Sandbox.Pay;

namespace FinqLink.Sandbox.Api;

/// <summary>
/// The <c>options</c> and <c>tracking</c> objects that links/create and ais/consents/create share.
/// <c>expires_in</c> is in seconds, at most 45 days.
/// </summary>
public sealed record CreateOptions(string FlowType, TimeSpan ExpiresIn, string? UxTemplate, string? WebhookUrl, string? RedirectUrl)
{
    public static readonly TimeSpan MaxExpiry = TimeSpan.FromDays(45);
    public static readonly string[] TrackingFields = { "tenant_user_id", "tenant_company_id" };

    public static CreateOptions Parse(ApiCall call, TimeSpan defaultExpiry)
    {
        ValidateTracking(call);
        var options = Fields.Object(call.Body, "options", "options") ?? new JsonObject();
        var type = Fields.String(options, "type", "options.type", 32) ?? Pay.FlowType.Link;
        if (!Pay.FlowType.All.Contains(type))
            throw ApiException.Validation("options.type", "must be one of " + string.Join(", ", Pay.FlowType.All));
        var expiresIn = Fields.Integer(options, "expires_in", "options.expires_in");
        if (expiresIn is < 1 || expiresIn > MaxExpiry.TotalSeconds)
            throw ApiException.Validation("options.expires_in", $"must be between 1 and {(long)MaxExpiry.TotalSeconds} seconds (45 days)");
        if (options["user_editable"] is { } editable && editable is not JsonArray && editable.GetValueKind() is not (System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False))
            throw ApiException.Validation("options.user_editable", "must be a boolean or an array of field names");
        return new CreateOptions(
            type,
            expiresIn is null ? defaultExpiry : TimeSpan.FromSeconds(expiresIn.Value),
            Fields.String(options, "ux_template", "options.ux_template", 64),
            Url(options, "webhook_url"),
            Url(options, "redirect_url"));
    }

    /// <summary>A flow other than link fixes the bank at creation, so its method filter must leave exactly one provider.</summary>
    public void RequireOneProviderWhenFixed(IEnumerable<string> providerIds, string filterField)
    {
        if (Pay.FlowType.FixesProviderAtCreation(FlowType) && providerIds.Distinct().Count() != 1)
            throw new ApiException(400, "method_selection_error",
                $"{filterField}: a {FlowType} flow needs exactly one provider; set {filterField}.provider_id");
    }

    public static string? Url(JsonObject obj, string name, string? path = null)
    {
        path ??= "options." + name;
        var text = Fields.String(obj, name, path, 2048);
        if (text is null) return null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw ApiException.Validation(path, "must be an absolute http or https URL");
        return text;
    }

    private static void ValidateTracking(ApiCall call)
    {
        var tracking = Fields.Object(call.Body, "tracking", "tracking") ?? new JsonObject();
        foreach (var field in TrackingFields) Fields.TrackingId(tracking, field);
        var missing = call.Client.RequiredTracking.FirstOrDefault(f => tracking[f] is null);
        if (missing is not null) throw ApiException.Unauthorized($"tracking.{missing} is required for this API client");
    }
}
