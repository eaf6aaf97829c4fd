using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FinqLink.Models
{
    /// <summary>Base of every API object: fields this version of the module does not know are kept, not lost.</summary>
    public abstract class FinqObject
    {
        [JsonPropertyName("request_id")] public string? RequestId { get; set; }

        [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
    }
}
