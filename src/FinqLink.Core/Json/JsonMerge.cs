using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;
using FinqLink.Validation;

namespace FinqLink.Json
{
    /// <summary>Merges user-supplied fields (a hashtable from PowerShell) into a request body, nested objects deeply.</summary>
    public static class JsonMerge
    {
        public static void Into(JsonObject target, IDictionary extra, string field)
        {
            foreach (DictionaryEntry entry in extra)
            {
                var name = entry.Key?.ToString();
                if (string.IsNullOrEmpty(name)) throw new FinqLinkValidationException(field, "keys must be non-empty strings");
                if (name == "client_id" || name == "client_secret")
                    throw new FinqLinkValidationException(field, $"'{name}' is set by the session and cannot be overridden");
                if (entry.Value is IDictionary nested && target[name!] is JsonObject existing) Into(existing, nested, field + "." + name);
                else target[name!] = ToNode(entry.Value, field + "." + name);
            }
        }

        public static JsonNode? ToNode(object? value, string field)
        {
            switch (value)
            {
                case null: return null;
                case JsonNode node: return node.DeepClone();
                case IDictionary map:
                    var obj = new JsonObject();
                    Into(obj, map, field);
                    return obj;
                case string s: return JsonValue.Create(s);
                case IEnumerable list:
                    var array = new JsonArray();
                    foreach (var item in list) array.Add(ToNode(item, field));
                    return array;
                case decimal d: return JsonValue.Create(d);
                default:
                    try { return JsonSerializer.SerializeToNode(value, value.GetType()); }
                    catch (System.Exception e) when (e is JsonException || e is System.NotSupportedException)
                    {
                        throw new FinqLinkValidationException(field, $"a {value.GetType().Name} cannot be sent as JSON");
                    }
            }
        }
    }
}
