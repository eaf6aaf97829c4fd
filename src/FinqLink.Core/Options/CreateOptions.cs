using System;
using System.Collections;

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
    }
}
