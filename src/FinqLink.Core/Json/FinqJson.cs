using System.Text.Json;
using System.Text.Json.Serialization;

namespace FinqLink.Json
{
    public static class FinqJson
    {
        /// <summary>The options every response model is read with: snake_case names come from attributes.</summary>
        public static readonly JsonSerializerOptions Options = Create(fastReaders: true);

        /// <summary>The same options with models read through reflection metadata only: how hand-written readers write, and what tests hold them to.</summary>
        internal static readonly JsonSerializerOptions WithoutFastReaders = Create(fastReaders: false);

        private static JsonSerializerOptions Create(bool fastReaders)
        {
            var options = new JsonSerializerOptions
            {
                DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
                NumberHandling = JsonNumberHandling.AllowReadingFromString,
            };
            options.Converters.Add(new FlexibleDecimalConverter());
            options.Converters.Add(new FlexibleNullableDecimalConverter());
            options.Converters.Add(new LenientTimestampConverter());
            options.Converters.Add(new StringOrArrayConverter());
            if (fastReaders) options.Converters.Add(new TransactionConverter());
            return options;
        }
    }
}
