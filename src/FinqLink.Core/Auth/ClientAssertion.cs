using System;
using System.Collections.Generic;
using System.IdentityModel.Tokens.Jwt;
using Microsoft.IdentityModel.Tokens;

namespace FinqLink.Auth
{
    /// <summary>
    /// The client assertion JWT of private_key_jwt (RFC 7523), made by the product's JWT library: header {alg, typ JWT, kid};
    /// claims iss = sub = client_id, aud = token endpoint, iat, exp, jti.
    /// </summary>
    public static class ClientAssertion
    {
        public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

        public static string Create(SigningKey key, string clientId, string tokenEndpoint) => Create(key.CreateSigningCredentials(), clientId, tokenEndpoint);

        internal static string Create(SigningCredentials credentials, string clientId, string tokenEndpoint)
        {
            var now = DateTime.UtcNow;
            var handler = new JwtSecurityTokenHandler { SetDefaultTimesOnTokenCreation = false };
            return handler.CreateEncodedJwt(new SecurityTokenDescriptor
            {
                Issuer = clientId,
                Audience = tokenEndpoint,
                IssuedAt = now,
                NotBefore = null,
                Expires = now + Lifetime,
                Claims = new Dictionary<string, object> { [JwtRegisteredClaimNames.Sub] = clientId, [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N") },
                SigningCredentials = credentials,
            });
        }
    }
}
