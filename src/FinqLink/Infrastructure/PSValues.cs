using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace FinqLink.PowerShell.Infrastructure
{
    internal static class PSValues
    {
        /// <summary>Unwraps PSObjects (and nested hashtables or arrays of them) so the client sees plain .NET values.</summary>
        public static IDictionary ToPlainDictionary(IDictionary source)
        {
            var result = new Hashtable();
            foreach (DictionaryEntry entry in source) result[Plain(entry.Key)!] = Plain(entry.Value);
            return result;
        }

        /// <summary>Plain values from the client (dictionaries, arrays) as PowerShell shows JSON: PSCustomObjects and object[].</summary>
        public static object? FromPlain(object? value)
        {
            switch (value)
            {
                case IDictionary<string, object?> map:
                    var obj = new PSObject();
                    foreach (var entry in map) obj.Properties.Add(new PSNoteProperty(entry.Key, FromPlain(entry.Value)));
                    return obj;
                case object?[] items:
                    var converted = new object?[items.Length];
                    for (var i = 0; i < items.Length; i++) converted[i] = FromPlain(items[i]);
                    return converted;
                default:
                    return value;
            }
        }

        public static object? Plain(object? value)
        {
            if (value is PSObject ps)
            {
                if (ps.BaseObject is PSCustomObject)
                {
                    var map = new Hashtable();
                    foreach (var property in ps.Properties) map[property.Name] = Plain(property.Value);
                    return map;
                }
                value = ps.BaseObject;
            }
            switch (value)
            {
                case IDictionary dictionary: return ToPlainDictionary(dictionary);
                case string s: return s;
                case IEnumerable list:
                    var items = new ArrayList();
                    foreach (var item in list) items.Add(Plain(item));
                    return items.ToArray();
                default: return value;
            }
        }
    }
}
