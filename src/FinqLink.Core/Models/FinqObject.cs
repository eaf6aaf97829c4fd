using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using FinqLink.Json;

namespace FinqLink.Models
{
    /// <summary>Base of every API object: fields this version of the module does not know are kept, not lost.</summary>
    public abstract class FinqObject
    {
        private PlainObject? _additional;

        [JsonPropertyName("request_id")] public string? RequestId { get; set; }

        /// <summary>Fields this version does not model, as plain values (dictionaries, arrays, strings, numbers).</summary>
        [JsonIgnore]
        public PlainObject? AdditionalProperties => ExtensionData == null ? null : _additional ??= PlainJson.ToObject(ExtensionData);

        [JsonExtensionData, JsonInclude]
        internal Dictionary<string, JsonElement>? ExtensionData { get; set; }
    }
}
