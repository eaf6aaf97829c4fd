using System;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace FinqLink.Auth
{
    /// <summary>FinqLink's internal (test) mode: <c>client_secret</c> travels in every JSON body, never in a header.</summary>
    public sealed class ClientSecretAuthenticator : IAuthenticator
    {
        private readonly Secret _secret;

        public ClientSecretAuthenticator(Secret secret) => _secret = secret;

        public string Method => "ClientSecret";
        public DateTimeOffset? TokenExpiresAt => null;

        public Task AuthenticateAsync(HttpRequestMessage request, JsonObject body, TokenContext context, CancellationToken cancellationToken)
        {
            body["client_secret"] = _secret.Reveal();
            return Task.CompletedTask;
        }

        public void Invalidate() { }
    }
}
