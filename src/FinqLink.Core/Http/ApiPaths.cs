using System;

namespace FinqLink.Http
{
    /// <summary>
    /// Builds an operation's URL from the base URI, the API version and the test switch: "{base}/{version}{test}/{resource}",
    /// where {test} is "/test" (the docs never show a full URL; the local sandbox accepts every plausible spelling).
    /// </summary>
    public sealed class ApiPaths
    {
        public ApiPaths(Uri baseUri, string apiVersion = "v2", bool useTestPath = false)
        {
            if (!baseUri.IsAbsoluteUri) throw new ArgumentException("BaseUri must be an absolute URI.", nameof(baseUri));
            if (apiVersion != "v1" && apiVersion != "v2") throw new ArgumentException("ApiVersion must be v1 or v2.", nameof(apiVersion));
            BaseUri = baseUri;
            ApiVersion = apiVersion;
            UseTestPath = useTestPath;
        }

        public Uri BaseUri { get; }
        public string ApiVersion { get; }
        public bool UseTestPath { get; }
        public Uri Resolve(string resource) =>
            new Uri(BaseUri.ToString().TrimEnd('/') + "/" + ApiVersion + (UseTestPath ? "/test" : "") + "/" + resource.TrimStart('/'));
    }
}
