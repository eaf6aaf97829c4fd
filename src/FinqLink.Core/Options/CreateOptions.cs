using System;
using System.Collections;
using System.Linq;
using System.Text.Json.Nodes;
using FinqLink.Json;
using FinqLink.Validation;

namespace FinqLink.Options
{
    /// <summary>
    /// What links/create and ais/consents/create share: the flow type and the other <c>options</c>, the tracking ids,
    /// and <see cref="AdditionalProperties"/>, which can add or override any field.
    /// </summary>
    public abstract class CreateOptions
    {
        public string? FlowType { get; set; }
        public string? UxTemplate { get; set; }
        public string? WebhookUrl { get; set; }
        public string? RedirectUrl { get; set; }
        public TimeSpan? ExpiresIn { get; set; }
        public string? TrackingUserId { get; set; }
        public string? TrackingCompanyId { get; set; }
        public IDictionary? AdditionalProperties { get; set; }

        /// <summary>
        /// Validates the shared fields and adds <c>options</c> (with <paramref name="moreOptions"/> last), <c>tracking</c> and the
        /// additional properties to <paramref name="body"/>. A flow other than "link" needs exactly one provider, because the
        /// bank's SCA URL is fetched at creation. Blank provider entries (an empty CSV cell) do not count.
        /// </summary>
        protected JsonObject Complete(JsonObject body, string what, string[]? providers, ApiField providerField, Action<JsonObject>? moreOptions = null)
        {
            var flow = Rules.OneOf(ApiFields.FlowType, string.IsNullOrWhiteSpace(FlowType) ? null : FlowType);
            if (flow != null && flow != "link" && Rules.NonBlank(providers).Count() != 1)
                throw new FinqLinkValidationException(providerField, $"a {flow} {what} needs exactly one provider (the bank's SCA URL is fetched at creation)");
            var options = new JsonObject();
            BodyFields.Put(options, "type", flow);
            BodyFields.Put(options, "ux_template", Rules.UxTemplate(ApiFields.UxTemplate, UxTemplate));
            BodyFields.Put(options, "webhook_url", Rules.HttpUrl(ApiFields.WebhookUrl, WebhookUrl));
            BodyFields.Put(options, "redirect_url", Rules.HttpUrl(ApiFields.RedirectUrl, RedirectUrl));
            if (Rules.Expiry(ApiFields.ExpiresIn, ExpiresIn) is TimeSpan expiry) options["expires_in"] = (long)expiry.TotalSeconds;
            moreOptions?.Invoke(options);
            if (options.Count > 0) body["options"] = options;

            var tracking = new JsonObject();
            BodyFields.Put(tracking, "tenant_user_id", Rules.TrackingId(ApiFields.TrackingUserId, TrackingUserId));
            BodyFields.Put(tracking, "tenant_company_id", Rules.TrackingId(ApiFields.TrackingCompanyId, TrackingCompanyId));
            if (tracking.Count > 0) body["tracking"] = tracking;

            if (AdditionalProperties != null) JsonMerge.Into(body, AdditionalProperties, ApiFields.Extra);
            return body;
        }
    }
}
