using System;

namespace FinqLink.Http
{
    /// <summary>
    /// Builds an operation's URL from the base URI, the API version and the test switch. The docs never show a full
    /// URL, so the layout is a template: "{base}/{version}{test}/{resource}" by default, where {test} is "/test".
    /// </summary>
    public sealed class ApiPaths
    {
        public const string DefaultTemplate = "{base}/{version}{test}/{resource}";

        public ApiPaths(Uri baseUri, string apiVersion = "v2", bool useTestPath = false, string template = DefaultTemplate)
        {
            if (!baseUri.IsAbsoluteUri) throw new ArgumentException("BaseUri must be an absolute URI.", nameof(baseUri));
            if (apiVersion != "v1" && apiVersion != "v2") throw new ArgumentException("ApiVersion must be v1 or v2.", nameof(apiVersion));
            BaseUri = baseUri;
            ApiVersion = apiVersion;
            UseTestPath = useTestPath;
            Template = template;
        }

        public Uri BaseUri { get; }
        public string ApiVersion { get; }
        public bool UseTestPath { get; }
        public string Template { get; }

        public Uri Resolve(string resource) => new Uri(Template
            .Replace("{base}", BaseUri.ToString().TrimEnd('/'))
            .Replace("{version}", ApiVersion)
            .Replace("{test}", UseTestPath ? "/test" : "")
            .Replace("{resource}", resource.TrimStart('/')));
    }
}
