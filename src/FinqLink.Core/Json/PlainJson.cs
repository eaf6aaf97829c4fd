using System.Collections.Generic;
using System.Text.Json;

namespace FinqLink.Json
{
    /// <summary>
    /// JSON as plain .NET values, for callers that must not depend on System.Text.Json types: objects become
    /// <see cref="PlainObject"/>s (ordered dictionaries), arrays object[], numbers long or decimal.
    /// </summary>
    public static class PlainJson
    {
        public static object? Parse(string json)
        {
            using var document = JsonDocument.Parse(json);
            return ToValues(document.RootElement);
        }

        public static object? ToValues(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    var map = new PlainObject();
                    foreach (var property in element.EnumerateObject()) map[property.Name] = ToValues(property.Value);
                    return map;
                case JsonValueKind.Array:
                    var items = new object?[element.GetArrayLength()];
                    var i = 0;
                    foreach (var item in element.EnumerateArray()) items[i++] = ToValues(item);
                    return items;
                case JsonValueKind.String: return element.GetString();
                case JsonValueKind.Number: return element.TryGetInt64(out var n) ? n : (object)element.GetDecimal();
                case JsonValueKind.True: return true;
                case JsonValueKind.False: return false;
                default: return null;
            }
        }

        internal static PlainObject ToObject(Dictionary<string, JsonElement> fields)
        {
            var map = new PlainObject();
            foreach (var field in fields) map[field.Key] = ToValues(field.Value);
            return map;
        }
    }

    /// <summary>A JSON object as a dictionary; prints as compact JSON (so a CSV cell or a log line shows its content).</summary>
    public sealed class PlainObject : Dictionary<string, object?>
    {
        public override string ToString() => JsonSerializer.Serialize(this);
    }
}
