using System.Collections.Generic;
using System.Text.Json;

namespace FinqLink.Json
{
    /// <summary>
    /// JSON as plain .NET values, for callers that must not depend on System.Text.Json types: objects become
    /// ordered <see cref="Dictionary{TKey,TValue}"/>s, arrays object[], numbers long or decimal.
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
                    var map = new Dictionary<string, object?>();
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
    }
}
