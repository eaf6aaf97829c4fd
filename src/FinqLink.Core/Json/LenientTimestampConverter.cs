using System;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FinqLink.Json
{
    /// <summary>ISO-8601 timestamps; one without an offset (as older FinqLink answers had) is taken as UTC.</summary>
    public sealed class LenientTimestampConverter : JsonConverter<DateTimeOffset?>
    {
        public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Null) return null;
            var text = reader.GetString();
            if (string.IsNullOrEmpty(text)) return null;
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)) return value;
            throw new JsonException($"'{text}' is not an ISO-8601 timestamp.");
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
        {
            if (value is null) writer.WriteNullValue();
            else writer.WriteStringValue(Timestamp.Format(value.Value));
        }
    }
}
