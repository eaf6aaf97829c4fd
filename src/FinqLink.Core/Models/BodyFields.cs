using System;
using System.Linq;
using System.Text.Json.Nodes;
using FinqLink.Validation;

namespace FinqLink.Models
{
    /// <summary>How request builders put optional values into a JSON body: absent and empty values are left out.</summary>
    internal static class BodyFields
    {
        public static void Put(JsonObject obj, string name, string? value)
        {
            if (!string.IsNullOrEmpty(value)) obj[name] = value;
        }

        /// <summary>A time range as <c>&lt;prefix&gt;_from</c> and <c>&lt;prefix&gt;_to</c>; a range that ends before it starts is refused.</summary>
        public static void Range(JsonObject filter, string prefix, DateTimeOffset? from, DateTimeOffset? to, string fromField, string toField)
        {
            if (from > to) throw new FinqLinkValidationException(fromField, $"must not be later than {toField}");
            if (from is DateTimeOffset f) filter[prefix + "_from"] = Timestamp.Format(f);
            if (to is DateTimeOffset t) filter[prefix + "_to"] = Timestamp.Format(t);
        }

        /// <summary>The non-blank values (an empty CSV cell binds as ""), or null when none are left.</summary>
        public static string[]? Present(string[]? values)
        {
            var present = values?.Where(v => !string.IsNullOrWhiteSpace(v)).ToArray();
            return present == null || present.Length == 0 ? null : present;
        }

        /// <summary>Puts the present values as an array, each checked against <paramref name="allowed"/> (or a 64-character limit).</summary>
        public static void PutList(JsonObject obj, string name, string[]? values, string[]? allowed, string field)
        {
            var present = Present(values);
            if (present == null) return;
            var checkedValues = present.Select(v => allowed == null ? Rules.MaxLength(field, v, 64)! : Rules.OneOf(field, v, allowed)!);
            obj[name] = new JsonArray(checkedValues.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
        }
    }
}
