using System.Text.Json;
using System.Text.Json.Serialization;

namespace FinqLink.Json
{
    public static class FinqJson
    {
        /// <summary>The options every response model is read with: snake_case names come from attributes.</summary>
        public static readonly JsonSerializerOptions Options = Create();

        private static JsonSerializerOptions Create()
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
            return options;
        }
    }
}
