using System;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FinqLink.Webhooks
{
    /// <summary>
    /// Verifies FinqLink's webhook signature by the docs' recipe: both headers present; <c>x-signature</c> a compact JWS
    /// signed RS256 or ES256 by the JWKS key that <c>x-signature-kid</c> names; its payload byte-identical to the raw body.
    /// Anything else is rejected: other algorithms (none, HS*), unknown, refused or mismatched kids, embedded or remote
    /// keys and other extension headers, tampered bodies.
    /// </summary>
    public static class WebhookVerifier
    {
        private static readonly string[] RefusedHeaders =
        {
            // Keys embedded or fetched from elsewhere, unencoded payloads, critical extensions, compression: never trusted.
            JwtHeaderParameterNames.Jwk, JwtHeaderParameterNames.Jku, JwtHeaderParameterNames.X5u, JwtHeaderParameterNames.X5c,
            "crit", "b64", JwtHeaderParameterNames.Zip,
        };

        public static async Task<WebhookVerification> VerifyAsync(
            byte[] body, string? signature, string? keyId, Func<string, CancellationToken, Task<WebhookKey?>> findKey, CancellationToken cancellationToken)
        {
            if (string.IsNullOrWhiteSpace(signature)) return WebhookVerification.Invalid("the x-signature header is missing");
            if (string.IsNullOrEmpty(keyId)) return WebhookVerification.Invalid("the x-signature-kid header is missing");
            var jws = signature!.Trim();
            var failure = FormatFailure(jws);
            if (failure != null) return WebhookVerification.Invalid(failure, keyId);
            JsonWebToken token;
            try { token = new JsonWebToken(jws); }
            catch (ArgumentException) { return WebhookVerification.Invalid("x-signature is not a well-formed JWS: its header and payload must be base64url-encoded JSON objects", keyId); }

            var alg = token.Alg;
            if (alg != SecurityAlgorithms.RsaSha256 && alg != SecurityAlgorithms.EcdsaSha256)
                return WebhookVerification.Invalid($"the JWS algorithm '{(string.IsNullOrEmpty(alg) ? "(none)" : alg)}' is not accepted (RS256 or ES256 only)", keyId);
            foreach (var name in RefusedHeaders)
                if (token.TryGetHeaderValue<object>(name, out _)) return WebhookVerification.Invalid($"the JWS header uses '{name}', which webhooks never carry", keyId);
            if (!string.IsNullOrEmpty(token.Kid) && !string.Equals(token.Kid, keyId, StringComparison.Ordinal))
                return WebhookVerification.Invalid($"the JWS header's kid '{token.Kid}' differs from x-signature-kid '{keyId}'", keyId);

            var key = await findKey(keyId!, cancellationToken).ConfigureAwait(false);
            if (key == null) return WebhookVerification.Invalid($"the key '{keyId}' is not in FinqLink's JWKS (unknown or rotated out)", keyId);
            if (key.Refusal != null) return WebhookVerification.Invalid($"the key '{keyId}' in FinqLink's JWKS is refused: {key.Refusal}", keyId);
            if (key.Algorithm != alg) return WebhookVerification.Invalid($"the key '{keyId}' is {key.Algorithm}, but the JWS says {alg}", keyId);

            byte[] signatureBytes, payload;
            try
            {
                signatureBytes = Base64UrlEncoder.DecodeBytes(token.EncodedSignature);
                payload = Base64UrlEncoder.DecodeBytes(token.EncodedPayload);
            }
            catch (FormatException) { return WebhookVerification.Invalid("x-signature is not base64url-encoded (its last characters carry stray bits)", keyId); }
            var signingInput = Encoding.ASCII.GetBytes(jws.Substring(0, jws.LastIndexOf('.')));
            if (!key.Verify(signingInput, signatureBytes)) return WebhookVerification.Invalid("the signature does not verify", keyId);
            if (!new ReadOnlySpan<byte>(payload).SequenceEqual(body)) return WebhookVerification.Invalid("the signed payload differs from the body received", keyId);
            return WebhookVerification.Valid(keyId!, alg);
        }

        /// <summary>
        /// Three base64url parts and nothing else: the library's decoder also takes '+', '/' and whitespace, which would let
        /// one signature travel in several spellings.
        /// </summary>
        private static string? FormatFailure(string jws)
        {
            var parts = jws.Split('.');
            if (parts.Length != 3) return $"x-signature is not a compact JWS (it has {parts.Length} parts, not 3)";
            foreach (var part in parts)
            {
                if (part.Length % 4 == 1) return "x-signature is not base64url-encoded";
                foreach (var c in part)
                    if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) return "x-signature is not base64url-encoded";
            }
            return null;
        }
    }
}
