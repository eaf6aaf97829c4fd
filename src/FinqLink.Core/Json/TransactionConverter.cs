using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using FinqLink.Models.Data;

namespace FinqLink.Json
{
    /// <summary>
    /// Reads a transaction in one method, every property matched on its UTF-8 name: the per-item path of a transaction
    /// page, with what the serializer's reflection metadata would give (unknown fields kept in ExtensionData, the last
    /// of a repeated field winning, fields named as a read-only or ignored property dropped). Writing is the serializer's own.
    /// </summary>
    internal sealed class TransactionConverter : JsonConverter<Transaction>
    {
        private static readonly FlexibleDecimalConverter Money = new FlexibleDecimalConverter();
        private static readonly LenientTimestampConverter Time = new LenientTimestampConverter();

        [MethodImpl(HotPath.Optimized)]
        public override Transaction Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException($"A transaction must be a JSON object, not {reader.TokenType}.");
            var t = new Transaction();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8)) t.TransactionId = Text(ref reader);
                else if (reader.ValueTextEquals("account_id"u8)) t.AccountId = Text(ref reader);
                else if (reader.ValueTextEquals("amount"u8)) t.Amount = Amount(ref reader, options);
                else if (reader.ValueTextEquals("currency"u8)) t.Currency = Text(ref reader);
                else if (reader.ValueTextEquals("credit_debit_indicator"u8)) t.CreditDebitIndicator = Text(ref reader);
                else if (reader.ValueTextEquals("status"u8)) t.Status = Text(ref reader);
                else if (reader.ValueTextEquals("booking_date_time"u8)) t.BookingDateTime = Timestamp(ref reader, options);
                else if (reader.ValueTextEquals("value_date"u8)) t.ValueDate = Text(ref reader);
                else if (reader.ValueTextEquals("updated_at"u8)) t.UpdatedAt = Timestamp(ref reader, options);
                else if (reader.ValueTextEquals("counterparty_name"u8)) t.CounterpartyName = Text(ref reader);
                else if (reader.ValueTextEquals("remittance_information"u8)) t.RemittanceInformation = Text(ref reader);
                else if (reader.ValueTextEquals("info"u8)) t.Info = Text(ref reader);
                else if (reader.ValueTextEquals("balance"u8)) t.BalanceAfter = NullableAmount(ref reader, options);
                else if (reader.ValueTextEquals("keyset"u8)) t.Keyset = Text(ref reader);
                else if (reader.ValueTextEquals("request_id"u8)) t.RequestId = Text(ref reader);
                // The serializer drops fields named as a read-only or ignored property rather than keep them.
                else if (reader.ValueTextEquals("SignedAmount"u8) || reader.ValueTextEquals("ConsentId"u8) || reader.ValueTextEquals("AdditionalProperties"u8)) Skip(ref reader);
                else Keep(ref reader, t);
            }
            if (reader.TokenType != JsonTokenType.EndObject) throw new JsonException("A transaction object is not closed.");
            return t;
        }

        [MethodImpl(HotPath.Optimized)]
        private static string? Text(ref Utf8JsonReader reader)
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.String) return reader.GetString();
            if (reader.TokenType == JsonTokenType.Null) return null;
            throw new JsonException($"A transaction field that is text holds {reader.TokenType}.");
        }

        [MethodImpl(HotPath.Optimized)]
        private static decimal Amount(ref Utf8JsonReader reader, JsonSerializerOptions options)
        {
            reader.Read();
            return Money.Read(ref reader, typeof(decimal), options);
        }

        [MethodImpl(HotPath.Optimized)]
        private static decimal? NullableAmount(ref Utf8JsonReader reader, JsonSerializerOptions options)
        {
            reader.Read();
            return reader.TokenType == JsonTokenType.Null ? (decimal?)null : Money.Read(ref reader, typeof(decimal), options);
        }

        [MethodImpl(HotPath.Optimized)]
        private static DateTimeOffset? Timestamp(ref Utf8JsonReader reader, JsonSerializerOptions options)
        {
            reader.Read();
            return Time.Read(ref reader, typeof(DateTimeOffset?), options);
        }

        private static void Skip(ref Utf8JsonReader reader)
        {
            reader.Read();
            reader.Skip();
        }

        private static void Keep(ref Utf8JsonReader reader, Transaction t)
        {
            var name = reader.GetString()!;
            reader.Read();
            (t.ExtensionData ??= new Dictionary<string, JsonElement>())[name] = JsonElement.ParseValue(ref reader);
        }

        public override void Write(Utf8JsonWriter writer, Transaction value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value, FinqJson.WithoutFastReaders);
    }
}
