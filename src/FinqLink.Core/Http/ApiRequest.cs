using System;
using System.Collections;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FinqLink.Json;

namespace FinqLink.Http
{
    /// <summary>
    /// One FinqLink operation ready to send: the resource (e.g. "links/create") and its JSON body, without credentials
    /// (the session adds them). Built by <see cref="Requests"/> or, for the raw escape hatch, from JSON or a dictionary.
    /// </summary>
    public sealed class ApiRequest
    {
        internal ApiRequest(string resource, JsonObject body, RequestKind kind)
        {
            Resource = resource;
            Body = body;
            Kind = kind;
        }

        public string Resource { get; }

        /// <summary>Whether a retry could repeat a side effect (see <see cref="RequestKind"/>).</summary>
        public RequestKind Kind { get; }

        internal JsonObject Body { get; }

        public static ApiRequest FromJson(string resource, string json, RequestKind kind)
        {
            JsonNode? node;
            try { node = JsonNode.Parse(json); }
            catch (JsonException e) { throw new ArgumentException("Body: not valid JSON (" + e.Message + ")", e); }
            return new ApiRequest(resource, node as JsonObject ?? throw new ArgumentException("Body: the JSON must be an object."), kind);
        }

        public static ApiRequest FromValues(string resource, IDictionary? values, RequestKind kind)
        {
            var body = new JsonObject();
            if (values != null) JsonMerge.Into(body, values, "Body");
            return new ApiRequest(resource, body, kind);
        }

        /// <summary>A copy with <c>options.&lt;name&gt;</c> set.</summary>
        public ApiRequest WithOption(string name, long value)
        {
            var body = (JsonObject)Body.DeepClone();
            ((JsonObject)(body["options"] ??= new JsonObject()))[name] = value;
            return new ApiRequest(Resource, body, Kind);
        }

        /// <summary>A stable fingerprint of the body: the journal key of a bulk row that has no reference of its own.</summary>
        public string Fingerprint()
        {
            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(Body.ToJsonString()));
            return "sha256:" + BitConverter.ToString(hash, 0, 16).Replace("-", "").ToLowerInvariant();
        }

        /// <summary>What would be sent, with anything secret-looking redacted (for -WhatIf and logs).</summary>
        public override string ToString() => $"POST {Resource} {Redactor.RedactJson(Body.ToJsonString())}";
    }
}
