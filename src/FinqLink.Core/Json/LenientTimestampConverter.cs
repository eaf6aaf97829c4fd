using System;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FinqLink.Json
{
    /// <summary>ISO-8601 timestamps; one without an offset (as older FinqLink answers had) is taken as UTC.</summary>
    public sealed class LenientTimestampConverter : JsonConverter<DateTimeOffset?>
    {
        [MethodImpl(HotPath.Optimized)]
        public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Null) return null;
            if (reader.TokenType == JsonTokenType.String && !reader.HasValueSequence && !reader.ValueIsEscaped
                && TryReadIso(ref reader, out var iso)) return iso;
            var text = reader.GetString();
            if (string.IsNullOrEmpty(text)) return null;
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)) return value;
            throw new JsonException($"'{text}' is not an ISO-8601 timestamp.");
        }

        /// <summary>
        /// Strict ISO 8601 read from the bytes by System.Text.Json, with this converter's meaning: the result in UTC, and
        /// no offset meaning UTC (System.Text.Json would take it as local time). Other spellings go to the lenient parse.
        /// </summary>
        [MethodImpl(HotPath.Optimized)]
        private static bool TryReadIso(ref Utf8JsonReader reader, out DateTimeOffset value)
        {
            value = default;
            if (HasOffset(reader.ValueSpan))
            {
                if (!reader.TryGetDateTimeOffset(out var withOffset)) return false;
                value = withOffset.ToUniversalTime();
                return true;
            }
            if (!reader.TryGetDateTime(out var unspecified)) return false;
            value = new DateTimeOffset(DateTime.SpecifyKind(unspecified, DateTimeKind.Utc));
            return true;
        }

        [MethodImpl(HotPath.Optimized)]
        private static bool HasOffset(ReadOnlySpan<byte> utf8)
        {
            var time = utf8.IndexOf((byte)'T');
            if (time < 0) return false;
            for (var i = time + 1; i < utf8.Length; i++)
                if (utf8[i] == (byte)'Z' || utf8[i] == (byte)'z' || utf8[i] == (byte)'+' || utf8[i] == (byte)'-') return true;
            return false;
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
        {
            if (value is null) writer.WriteNullValue();
            else writer.WriteStringValue(Timestamp.Format(value.Value));
        }
    }
}
