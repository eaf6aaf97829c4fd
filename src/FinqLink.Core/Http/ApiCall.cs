using System.Text.Json.Nodes;

namespace FinqLink.Http
{
    /// <summary>One FinqLink operation ready to send: its resource ("links/create"), JSON body (without credentials) and kind.</summary>
    internal sealed class ApiCall
    {
        public ApiCall(string resource, RequestBody body, RequestKind kind)
        {
            Resource = resource;
            Body = body;
            Kind = kind;
        }

        public ApiCall(string resource, JsonObject body, RequestKind kind) : this(resource, RequestBody.Of(body), kind) { }

        public string Resource { get; }
        public RequestBody Body { get; }
        public RequestKind Kind { get; }

        /// <summary>What would be sent, with anything secret-looking redacted (for -WhatIf and logs).</summary>
        public override string ToString() => $"POST {Resource} {Redactor.RedactJson(Body.ToString())}";
    }
}
