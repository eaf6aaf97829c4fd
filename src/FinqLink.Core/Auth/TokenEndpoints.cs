using System;
using FinqLink.LocalSandbox;

namespace FinqLink.Auth
{
    /// <summary>Which OAuth2 token endpoint a base URI implies when none is given.</summary>
    public static class TokenEndpoints
    {
        /// <summary>The token endpoint Finqware's documentation shows for its environments.</summary>
        public const string Finqware = "https://finqware.okta.com/oauth2/ausfqbxutkZBUKUgQ417/v1/token";

        /// <summary>
        /// <paramref name="given"/> when set; the local sandbox's own endpoint for a loopback base URI; Finqware's documented
        /// endpoint for a finqware.com base URI; otherwise an error that says where the endpoint comes from.
        /// </summary>
        public static Uri Resolve(Uri baseUri, Uri? given)
        {
            if (given != null)
            {
                if (!given.IsAbsoluteUri) throw new ArgumentException($"TokenEndpoint: '{given}' must be an absolute URL.");
                return given;
            }
            if (SandboxControlClient.IsLoopback(baseUri)) return new Uri(baseUri, SandboxProcess.TokenEndpointPath);
            if (baseUri.Host.Equals("finqware.com", StringComparison.OrdinalIgnoreCase) || baseUri.Host.EndsWith(".finqware.com", StringComparison.OrdinalIgnoreCase))
                return new Uri(Finqware);
            throw new ArgumentException(
                $"TokenEndpoint: required with -BaseUri {baseUri}: give the token endpoint Finqware sent with your OAuth2 credentials " +
                $"(the local sandbox's is <BaseUri>{SandboxProcess.TokenEndpointPath}, and is used by itself for loopback addresses).");
        }
    }
}
