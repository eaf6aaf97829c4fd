using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace FinqLink.Requests
{
    /// <summary>A validated ais/consents/create body (see <see cref="RequestValidator"/>).</summary>
    public sealed class ConsentCreateRequest
    {
        internal ConsentCreateRequest(ConsentTerms consent, AisMethodChoice? aisMethod, FlowOptions? options, Tracking? tracking, JsonObject? merged)
        {
            Consent = consent;
            AisMethod = aisMethod;
            Options = options;
            Tracking = tracking;
            Merged = merged;
        }

        [JsonPropertyName("consent")] public ConsentTerms Consent { get; }
        [JsonPropertyName("ais_method")] public AisMethodChoice? AisMethod { get; }
        [JsonPropertyName("options")] public FlowOptions? Options { get; }
        [JsonPropertyName("tracking")] public Tracking? Tracking { get; }

        /// <summary>The body with AdditionalProperties merged in; null without them.</summary>
        [JsonIgnore] internal JsonObject? Merged { get; }
    }

    /// <summary>consent: the scope and how many days the consent lasts.</summary>
    public sealed class ConsentTerms
    {
        internal ConsentTerms(string[]? scope, int? validityDays)
        {
            Scope = scope;
            ValidityDays = validityDays;
        }

        [JsonPropertyName("scope")] public string[]? Scope { get; }
        [JsonPropertyName("consent_validity_days")] public int? ValidityDays { get; }
    }

    /// <summary>ais_method: which providers, owner types and interface environment the user may choose from.</summary>
    public sealed class AisMethodChoice
    {
        internal AisMethodChoice(string[]? providerId, string[]? accountOwnerType, string? interfaceEnvironment)
        {
            ProviderId = providerId;
            AccountOwnerType = accountOwnerType;
            InterfaceEnvironment = interfaceEnvironment;
        }

        [JsonPropertyName("provider_id")] public string[]? ProviderId { get; }
        [JsonPropertyName("account_owner_type")] public string[]? AccountOwnerType { get; }
        [JsonPropertyName("interface_env")] public string? InterfaceEnvironment { get; }
    }
}
