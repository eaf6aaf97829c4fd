using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;
using FinqLink.Validation;

namespace FinqLink.Json
{
    /// <summary>Merges caller-supplied fields (a hashtable from PowerShell) into a JSON body, nested objects deeply.</summary>
    public static class JsonMerge
    {
        /// <summary>Merges into an API request body, whose credentials only the session sets.</summary>
        public static void Into(JsonObject target, IDictionary extra, ApiField field)
        {
            foreach (DictionaryEntry entry in extra)
            {
                var name = entry.Key?.ToString();
                if (name == "client_id" || name == "client_secret")
                    throw new FinqLinkValidationException(field, $"'{name}' is set by the session and cannot be overridden");
            }
            Merge(target, extra, field, "");
        }

        /// <summary>Merges any fields: for bodies that are not the API's, such as the sandbox's control API.</summary>
        public static void Merge(JsonObject target, IDictionary extra, ApiField field) => Merge(target, extra, field, "");

        private static void Merge(JsonObject target, IDictionary extra, ApiField field, string path)
        {
            foreach (DictionaryEntry entry in extra)
            {
                var name = entry.Key?.ToString();
                if (string.IsNullOrEmpty(name)) throw new FinqLinkValidationException(field, $"{Where(path)}keys must be non-empty strings");
                if (entry.Value is IDictionary nested && target[name!] is JsonObject existing) Merge(existing, nested, field, path + name + ".");
                else target[name!] = ToNode(entry.Value, field, path + name);
            }
        }

        private static JsonNode? ToNode(object? value, ApiField field, string path)
        {
            switch (value)
            {
                case null: return null;
                case JsonNode node: return node.DeepClone();
                case IDictionary map:
                    var obj = new JsonObject();
                    Merge(obj, map, field, path + ".");
                    return obj;
                case string s: return JsonValue.Create(s);
                case IEnumerable list:
                    var array = new JsonArray();
                    foreach (var item in list) array.Add(ToNode(item, field, path + "[]"));
                    return array;
                case decimal d: return JsonValue.Create(d);
                default:
                    try { return JsonSerializer.SerializeToNode(value, value.GetType()); }
                    catch (System.Exception e) when (e is JsonException || e is System.NotSupportedException)
                    {
                        throw new FinqLinkValidationException(field, $"{path}: a {value.GetType().Name} cannot be sent as JSON");
                    }
            }
        }

        private static string Where(string path) => path.Length == 0 ? "" : path.TrimEnd('.') + ": ";
    }
}
