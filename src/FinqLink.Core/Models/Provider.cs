using System;
using System.Text.Json;
using System.Text.Json.Serialization;
using FinqLink.Json;

namespace FinqLink.Models
{
    public sealed class Provider : FinqObject
    {
        [JsonPropertyName("provider_id")] public string ProviderId { get; set; } = "";
        [JsonPropertyName("name")] public string? Name { get; set; }
        [JsonPropertyName("bic")] public string? Bic { get; set; }
        [JsonPropertyName("country")] public string? Country { get; set; }
        [JsonPropertyName("payment_methods")] public PaymentMethodInfo[]? PaymentMethods { get; set; }
        [JsonPropertyName("ais_methods")] public AisMethodInfo[]? AisMethods { get; set; }

        public override string ToString() => ProviderId;
    }

    public sealed class PaymentMethodInfo : FinqObject
    {
        [JsonPropertyName("id")] public string? Id { get; set; }
        [JsonPropertyName("provider_id")] public string? ProviderId { get; set; }
        /// <summary>Always an array: v1's single string is read as a one-item array.</summary>
        [JsonPropertyName("remitter_type")] public string[] RemitterType { get; set; } = Array.Empty<string>();
        [JsonPropertyName("payment_scheme")] public string? PaymentScheme { get; set; }
        [JsonPropertyName("env")] public string? Env { get; set; }
        /// <summary>The JSON Schema payment intents are checked against (with -IncludeValidationSchema), as plain values.</summary>
        [JsonIgnore] public PlainObject? ValidationSchema => ValidationSchemaJson.ValueKind == JsonValueKind.Object ? _plainSchema ??= (PlainObject?)PlainJson.ToValues(ValidationSchemaJson) : null;

        [JsonPropertyName("validation_schema"), JsonInclude] internal JsonElement ValidationSchemaJson { get; set; }
        private PlainObject? _plainSchema;

        public override string ToString() => $"{PaymentScheme} ({string.Join("+", RemitterType)})";
    }

    public sealed class AisMethodInfo : FinqObject
    {
        [JsonPropertyName("id")] public string? Id { get; set; }
        [JsonPropertyName("provider_id")] public string? ProviderId { get; set; }
        [JsonPropertyName("account_owner_type")] public string[] AccountOwnerType { get; set; } = Array.Empty<string>();
        [JsonPropertyName("interface_type")] public string? InterfaceType { get; set; }
        [JsonPropertyName("interface_env")] public string? InterfaceEnv { get; set; }

        public override string ToString() => Id ?? ProviderId ?? "";
    }

    public sealed class ServiceProviderInfo : FinqObject
    {
        [JsonPropertyName("provider_id")] public string? ProviderId { get; set; }
        [JsonPropertyName("name")] public string? Name { get; set; }
        [JsonPropertyName("bic")] public string? Bic { get; set; }

        public override string ToString() => ProviderId ?? "";
    }
}
