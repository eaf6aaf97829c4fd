using System;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using FinqLink.Requests;

namespace FinqLink.Http
{
    /// <summary>
    /// An operation's JSON body, without credentials. The transport asks for it as UTF-8 with the session's fields in
    /// front, once per attempt; nothing in the body is copied for that.
    /// </summary>
    internal abstract class RequestBody
    {
        /// <summary>The JSON object sent: <paramref name="credentials"/>'s fields, then the body's.</summary>
        public abstract byte[] ToUtf8(JsonObject credentials);

        /// <summary>The body for one page of a keyset-paged list.</summary>
        public abstract RequestBody ForPage(PageRequest page);

        /// <summary>The body as JSON, without credentials.</summary>
        public override string ToString() => Encoding.UTF8.GetString(ToUtf8(new JsonObject()));

        public static RequestBody Of(JsonObject body) => new NodeBody(body);

        public static RequestBody Of<T>(T value, JsonTypeInfo<T> info, JsonObject? merged = null) =>
            merged != null ? new NodeBody(merged) : (RequestBody)new TypedBody<T>(value, info);

        /// <summary>
        /// Puts <paramref name="credentials"/> in front of an object the serializer wrote whole (<c>{…}</c>): its first
        /// byte opens it, so the credential fields and a comma go in its place.
        /// </summary>
        protected static byte[] Prefixed(JsonObject credentials, byte[] json)
        {
            if (credentials.Count == 0) return json;
            var prefix = Encoding.UTF8.GetBytes(credentials.ToJsonString());
            var hasFields = json.Length > 2;
            var result = new byte[prefix.Length - 1 + (hasFields ? 1 : 0) + json.Length - 1];
            Buffer.BlockCopy(prefix, 0, result, 0, prefix.Length - 1);
            var at = prefix.Length - 1;
            if (hasFields) result[at++] = (byte)',';
            Buffer.BlockCopy(json, 1, result, at, json.Length - 1);
            return result;
        }

        /// <summary>A body built as a JSON object: raw requests, small id bodies, and requests with AdditionalProperties.</summary>
        private sealed class NodeBody : RequestBody
        {
            private readonly JsonObject _body;

            public NodeBody(JsonObject body) => _body = body;

            // Written field by field, so a credential the body also names (a raw request's) is the session's, once.
            public override byte[] ToUtf8(JsonObject credentials)
            {
                using var buffer = new System.IO.MemoryStream();
                using (var writer = new Utf8JsonWriter(buffer))
                {
                    writer.WriteStartObject();
                    foreach (var field in _body)
                    {
                        if (credentials.ContainsKey(field.Key)) continue;
                        writer.WritePropertyName(field.Key);
                        if (field.Value == null) writer.WriteNullValue();
                        else field.Value.WriteTo(writer);
                    }
                    foreach (var field in credentials)
                    {
                        writer.WritePropertyName(field.Key);
                        if (field.Value == null) writer.WriteNullValue();
                        else field.Value.WriteTo(writer);
                    }
                    writer.WriteEndObject();
                }
                return buffer.ToArray();
            }

            public override RequestBody ForPage(PageRequest page)
            {
                var body = (JsonObject)_body.DeepClone();
                var pagination = new JsonObject { ["limit"] = page.Limit };
                if (page.After != null) pagination["after"] = page.After;
                body["pagination"] = pagination;
                return new NodeBody(body);
            }
        }

        /// <summary>A typed request, written by the source-generated serializer.</summary>
        private sealed class TypedBody<T> : RequestBody
        {
            private readonly T _value;
            private readonly JsonTypeInfo<T> _info;

            public TypedBody(T value, JsonTypeInfo<T> info)
            {
                _value = value;
                _info = info;
            }

            public override byte[] ToUtf8(JsonObject credentials) => Prefixed(credentials, JsonSerializer.SerializeToUtf8Bytes(_value, _info));

            public override RequestBody ForPage(PageRequest page) => _value is IPaged<T> paged
                ? new TypedBody<T>(paged.ForPage(page), _info)
                : throw new InvalidOperationException($"A {typeof(T).Name} is not a list request.");
        }
    }

    /// <summary>A request that asks for one page of a list.</summary>
    internal interface IPaged<out T>
    {
        T ForPage(PageRequest page);
    }
}
