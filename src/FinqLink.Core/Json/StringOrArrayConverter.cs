using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FinqLink.Json
{
    /// <summary>v1 wrote remitter_type as a string, v2 as an array: always read it as an array.</summary>
    public sealed class StringOrArrayConverter : JsonConverter<string[]>
    {
        public override string[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Null) return Array.Empty<string>();
            if (reader.TokenType == JsonTokenType.String) return new[] { reader.GetString()! };
            var list = new List<string>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) list.Add(reader.GetString()!);
            return list.ToArray();
        }

        public override void Write(Utf8JsonWriter writer, string[] value, JsonSerializerOptions options)
        {
            writer.WriteStartArray();
            foreach (var item in value) writer.WriteStringValue(item);
            writer.WriteEndArray();
        }
    }
}
