using System;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FinqLink.Requests
{
    /// <summary>
    /// A request's parts as compact JSON with every object's keys in ordinal order, the form <see cref="RowFingerprint"/>
    /// hashes. The typed writers name their fields in that order by hand (keep them sorted when a field is added); the
    /// node writer sorts. Values are written as the serializer writes them (the default encoder), so both agree.
    /// </summary>
    internal static class CanonicalJson
    {
        public static void Write(Utf8JsonWriter w, LinkCreateRequest request)
        {
            w.WriteStartObject();
            if (request.Options != null) { w.WritePropertyName("options"); Write(w, request.Options); }
            if (request.PaymentMethod != null) { w.WritePropertyName("payment_method"); Write(w, request.PaymentMethod); }
            w.WritePropertyName("single_transfer");
            Write(w, request.SingleTransfer);
            if (request.Tracking != null) { w.WritePropertyName("tracking"); Write(w, request.Tracking); }
            w.WriteEndObject();
        }

        /// <summary>The body without single_transfer and payment_method: what the "options" part stands for.</summary>
        public static void WriteRest(Utf8JsonWriter w, LinkCreateRequest request)
        {
            w.WriteStartObject();
            if (request.Options != null) { w.WritePropertyName("options"); Write(w, request.Options); }
            if (request.Tracking != null) { w.WritePropertyName("tracking"); Write(w, request.Tracking); }
            w.WriteEndObject();
        }

        public static void Write(Utf8JsonWriter w, LinkTransfer transfer)
        {
            w.WriteStartObject();
            w.WriteString("amount", transfer.Amount);
            if (transfer.Creditor != null) { w.WritePropertyName("creditor"); Write(w, transfer.Creditor); }
            w.WriteString("currency", transfer.Currency);
            if (transfer.Debtor != null) { w.WritePropertyName("debtor"); Write(w, transfer.Debtor); }
            if (transfer.RemittanceInformation != null) w.WriteString("remittance_information", transfer.RemittanceInformation);
            w.WriteEndObject();
        }

        public static void Write(Utf8JsonWriter w, Party party)
        {
            w.WriteStartObject();
            if (party.Iban != null) w.WriteString("iban", party.Iban);
            if (party.Name != null) w.WriteString("name", party.Name);
            if (party.PsuId != null) w.WriteString("psu_id", party.PsuId);
            w.WriteEndObject();
        }

        public static void Write(Utf8JsonWriter w, PaymentMethodChoice method)
        {
            w.WriteStartObject();
            Strings(w, "env", method.Environment);
            Strings(w, "payment_scheme", method.PaymentScheme);
            Strings(w, "provider_id", method.ProviderId);
            Strings(w, "remitter_type", method.RemitterType);
            w.WriteEndObject();
        }

        public static void Write(Utf8JsonWriter w, FlowOptions options)
        {
            w.WriteStartObject();
            if (options.ExpiresIn is long seconds) w.WriteNumber("expires_in", seconds);
            if (options.RedirectUrl != null) w.WriteString("redirect_url", options.RedirectUrl);
            if (options.Type != null) w.WriteString("type", options.Type);
            if (options.UserEditable is bool editable) w.WriteBoolean("user_editable", editable);
            if (options.UxTemplate != null) w.WriteString("ux_template", options.UxTemplate);
            if (options.WebhookUrl != null) w.WriteString("webhook_url", options.WebhookUrl);
            w.WriteEndObject();
        }

        public static void Write(Utf8JsonWriter w, Tracking tracking)
        {
            w.WriteStartObject();
            if (tracking.TenantCompanyId != null) w.WriteString("tenant_company_id", tracking.TenantCompanyId);
            if (tracking.TenantUserId != null) w.WriteString("tenant_user_id", tracking.TenantUserId);
            w.WriteEndObject();
        }

        /// <summary>Any JSON, objects' keys sorted.</summary>
        public static void Write(Utf8JsonWriter w, JsonNode? node)
        {
            switch (node)
            {
                case null:
                    w.WriteNullValue();
                    break;
                case JsonObject obj:
                    w.WriteStartObject();
                    foreach (var field in obj.OrderBy(f => f.Key, StringComparer.Ordinal))
                    {
                        w.WritePropertyName(field.Key);
                        Write(w, field.Value);
                    }
                    w.WriteEndObject();
                    break;
                case JsonArray array:
                    w.WriteStartArray();
                    foreach (var item in array) Write(w, item);
                    w.WriteEndArray();
                    break;
                default:
                    node.WriteTo(w);
                    break;
            }
        }

        private static void Strings(Utf8JsonWriter w, string name, string[]? values)
        {
            if (values == null) return;
            w.WriteStartArray(name);
            foreach (var value in values) w.WriteStringValue(value);
            w.WriteEndArray();
        }
    }
}
