using System;
using System.Collections.Generic;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FinqLink.Auth
{
    /// <summary>The client assertion JWT: header {alg, typ JWT, kid}; claims iss = sub = client_id, aud = token endpoint, iat, exp, jti.</summary>
    public static class ClientAssertion
    {
        public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

        public static string Create(SigningKey key, string clientId, string tokenEndpoint)
        {
            var now = DateTime.UtcNow;
            var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
            return handler.CreateToken(new SecurityTokenDescriptor
            {
                Issuer = clientId,
                Audience = tokenEndpoint,
                IssuedAt = now,
                Expires = now + Lifetime,
                Claims = new Dictionary<string, object> { ["sub"] = clientId, ["jti"] = Guid.NewGuid().ToString("N") },
                SigningCredentials = key.CreateSigningCredentials(),
            });
        }
    }
}
