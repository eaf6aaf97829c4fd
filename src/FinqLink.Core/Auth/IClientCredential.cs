using System.Collections.Generic;

namespace FinqLink.Auth
{
    /// <summary>How the client authenticates to the OAuth2 token endpoint: form fields to add to the token request.</summary>
    public interface IClientCredential
    {
        string Method { get; }
        /// <param name="context">The token request's context: its HttpClient and log (a signer hook finds its pipeline there).</param>
        void AddTo(IDictionary<string, string> form, string clientId, string tokenEndpoint, TokenContext context);
    }

    /// <summary>RFC 6749 client_secret_post.</summary>
    public sealed class ClientSecretCredential : IClientCredential
    {
        private readonly Secret _secret;
        public ClientSecretCredential(Secret secret) => _secret = secret;
        public string Method => "OAuthClientSecret";
        public void AddTo(IDictionary<string, string> form, string clientId, string tokenEndpoint, TokenContext context) => form["client_secret"] = _secret.Reveal();
    }

    /// <summary>RFC 7523 private_key_jwt: a fresh signed client assertion for every token request.</summary>
    public sealed class PrivateKeyJwtCredential : IClientCredential
    {
        public const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
        private readonly SigningKey _key;

        public PrivateKeyJwtCredential(SigningKey key) => _key = key;
        public string Method => "PrivateKeyJwt";

        public void AddTo(IDictionary<string, string> form, string clientId, string tokenEndpoint, TokenContext context)
        {
            form["client_assertion_type"] = AssertionType;
            form["client_assertion"] = ClientAssertion.Create(_key, clientId, tokenEndpoint);
        }
    }
}
