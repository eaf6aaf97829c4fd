using System;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FinqLink.Json
{
    /// <summary>Money: read from a decimal string ("100.50") or a number; written as an invariant decimal string.</summary>
    public sealed class FlexibleDecimalConverter : JsonConverter<decimal>
    {
        [MethodImpl(HotPath.Optimized)]
        public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Number) return reader.GetDecimal();
            // Every amount in a page goes through here: the usual spelling is read from the bytes, without a string.
            if (reader.TokenType == JsonTokenType.String && !reader.HasValueSequence && !reader.ValueIsEscaped
                && PlainDecimal.TryParse(reader.ValueSpan, out var plain)) return plain;
            var text = reader.GetString();
            if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)) return value;
            throw new JsonException($"'{text}' is not a decimal amount.");
        }

        public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Money.Format(value));
    }

    public sealed class FlexibleNullableDecimalConverter : JsonConverter<decimal?>
    {
        private static readonly FlexibleDecimalConverter Inner = new FlexibleDecimalConverter();

        public override decimal? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? (decimal?)null : Inner.Read(ref reader, typeof(decimal), options);

        public override void Write(Utf8JsonWriter writer, decimal? value, JsonSerializerOptions options)
        {
            if (value is null) writer.WriteNullValue(); else Inner.Write(writer, value.Value, options);
        }
    }
}
