using System;
using System.Linq;
using System.Text.Json.Nodes;
using FinqLink.Validation;

namespace FinqLink.Options
{
    /// <summary>How option classes put optional values into a JSON body: absent and empty values are left out.</summary>
    internal static class BodyFields
    {
        public static void Put(JsonObject obj, string name, string? value)
        {
            if (!string.IsNullOrEmpty(value)) obj[name] = value;
        }

        public static void PutTime(JsonObject obj, string name, DateTimeOffset? value)
        {
            if (value is DateTimeOffset at) obj[name] = Timestamp.Format(at);
        }

        /// <summary>Puts the non-blank values as an array, each checked against the field's closed set (or a 64-character limit).</summary>
        public static void PutList(JsonObject obj, string name, string[]? values, ApiField field)
        {
            var present = Rules.NonBlank(values).ToArray();
            if (present.Length == 0) return;
            var checkedValues = present.Select(v => field.Allowed == null ? Rules.MaxLength(field, v, 64)! : Rules.OneOf(field, v)!);
            obj[name] = new JsonArray(checkedValues.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
        }
    }
}
