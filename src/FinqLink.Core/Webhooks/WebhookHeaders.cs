using System;
using System.Collections;
using System.Collections.Specialized;

namespace FinqLink.Webhooks
{
    /// <summary>
    /// Finds x-signature and x-signature-kid in whatever the web host hands over: a NameValueCollection
    /// (HttpListener's WebHeaderCollection), a hashtable or dictionary (Azure Functions, Pode), with any casing and
    /// single values or lists.
    /// </summary>
    public static class WebhookHeaders
    {
        public const string Signature = "x-signature", KeyId = "x-signature-kid";

        public static string? Find(object? headers, string name)
        {
            switch (headers)
            {
                case NameValueCollection collection:
                    foreach (string? key in collection.Keys)
                        if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) return First(collection.GetValues(key));
                    return null;
                case IDictionary dictionary:
                    foreach (DictionaryEntry entry in dictionary)
                        if (string.Equals(entry.Key?.ToString(), name, StringComparison.OrdinalIgnoreCase)) return First(entry.Value);
                    return null;
                default:
                    return null;
            }
        }

        private static string? First(object? value)
        {
            switch (value)
            {
                case null: return null;
                case string s: return s;
                case IEnumerable list:
                    foreach (var item in list) return item?.ToString();
                    return null;
                default: return value.ToString();
            }
        }
    }
}
