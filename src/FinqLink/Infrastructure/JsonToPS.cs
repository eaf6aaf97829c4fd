using System.Management.Automation;
using System.Text.Json;

namespace FinqLink.PowerShell.Infrastructure
{
    /// <summary>JSON to PowerShell values (PSCustomObject, object[], string, long/decimal, bool), keeping property names as sent.</summary>
    internal static class JsonToPS
    {
        public static object? Convert(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    var obj = new PSObject();
                    foreach (var property in element.EnumerateObject()) obj.Properties.Add(new PSNoteProperty(property.Name, Convert(property.Value)));
                    return obj;
                case JsonValueKind.Array:
                    var items = new object?[element.GetArrayLength()];
                    var i = 0;
                    foreach (var item in element.EnumerateArray()) items[i++] = Convert(item);
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
