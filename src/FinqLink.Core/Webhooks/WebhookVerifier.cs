using System;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.IdentityModel.Tokens;

namespace FinqLink.Webhooks
{
    /// <summary>The verdict on one webhook: valid, or why not.</summary>
    public sealed class WebhookVerification
    {
        private WebhookVerification(bool isValid, string? keyId, string? algorithm, string? failure)
        {
            IsValid = isValid;
            KeyId = keyId;
            Algorithm = algorithm;
            Failure = failure;
        }

        public bool IsValid { get; }
        public string? KeyId { get; }
        public string? Algorithm { get; }
        public string? Failure { get; }

        internal static WebhookVerification Valid(string kid, string alg) => new WebhookVerification(true, kid, alg, null);
        internal static WebhookVerification Invalid(string reason, string? kid = null) => new WebhookVerification(false, kid, null, reason);

        public override string ToString() => IsValid ? $"valid ({KeyId}, {Algorithm})" : "invalid: " + Failure;
    }

    /// <summary>
    /// Verifies FinqLink's webhook signature: <c>x-signature</c> is a compact JWS whose payload must be byte-identical to
    /// the raw body, signed RS256 or ES256 by the JWKS key named in <c>x-signature-kid</c>. Anything else is rejected:
    /// other algorithms (none, HS*), unknown or mismatched kids, extension headers, tampered bodies.
    /// </summary>
    public static class WebhookVerifier
    {
        public static async Task<WebhookVerification> VerifyAsync(
            byte[] body, string? signature, string? keyId, Func<string, CancellationToken, Task<WebhookKey?>> findKey, CancellationToken cancellationToken)
        {
            if (string.IsNullOrWhiteSpace(signature)) return WebhookVerification.Invalid("the x-signature header is missing");
            var parts = signature!.Trim().Split('.');
            if (parts.Length != 3) return WebhookVerification.Invalid($"x-signature is not a compact JWS (it has {parts.Length} parts, not 3)");
            if (!TryDecode(parts[0], out var headerBytes) || !TryDecode(parts[1], out var payload) || !TryDecode(parts[2], out var signatureBytes))
                return WebhookVerification.Invalid("x-signature is not base64url-encoded");

            var header = ReadHeader(headerBytes);
            if (header == null) return WebhookVerification.Invalid("the JWS header is not a JSON object");
            var (alg, headerKid, unsupported) = header.Value;
            if (alg != "RS256" && alg != "ES256") return WebhookVerification.Invalid($"the JWS algorithm '{alg ?? "(none)"}' is not accepted (RS256 or ES256 only)");
            if (unsupported != null) return WebhookVerification.Invalid($"the JWS header uses '{unsupported}', which webhooks never carry");
            if (!string.IsNullOrEmpty(keyId) && headerKid != null && !string.Equals(keyId, headerKid, StringComparison.Ordinal))
                return WebhookVerification.Invalid($"the JWS header's kid '{headerKid}' differs from x-signature-kid '{keyId}'", keyId);
            var kid = string.IsNullOrEmpty(keyId) ? headerKid : keyId;
            if (string.IsNullOrEmpty(kid)) return WebhookVerification.Invalid("no key id: the x-signature-kid header is missing");

            var key = await findKey(kid!, cancellationToken).ConfigureAwait(false);
            if (key == null) return WebhookVerification.Invalid($"the key '{kid}' is not in FinqLink's JWKS (unknown or rotated out)", kid);
            if (key.Algorithm != alg) return WebhookVerification.Invalid($"the key '{kid}' is {key.Algorithm}, but the JWS says {alg}", kid);

            var signingInput = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
            if (!SignatureMatches(key, signingInput, signatureBytes)) return WebhookVerification.Invalid("the signature does not verify", kid);
            if (!ByteEquals(payload, body)) return WebhookVerification.Invalid("the signed payload differs from the body received", kid);
            return WebhookVerification.Valid(kid!, alg!);
        }

        private static bool SignatureMatches(WebhookKey key, byte[] data, byte[] signature)
        {
            try
            {
                switch (key.Key)
                {
                    case RSA rsa: return rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                    case ECDsa ec: return signature.Length == 64 && ec.VerifyData(data, signature, HashAlgorithmName.SHA256);
                    default: return false;
                }
            }
            catch (CryptographicException) { return false; }
        }

        private static (string? Alg, string? Kid, string? Unsupported)? ReadHeader(byte[] bytes)
        {
            try
            {
                using var document = JsonDocument.Parse(bytes);
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object) return null;
                string? alg = null, kid = null, unsupported = null;
                foreach (var property in root.EnumerateObject())
                {
                    switch (property.Name)
                    {
                        case "alg": alg = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : "(not a string)"; break;
                        case "kid": kid = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null; break;
                        case "typ": case "cty": break;
                        // Keys embedded or fetched from elsewhere, detached or unencoded payloads, critical extensions: never trusted.
                        case "crit": case "b64": case "jwk": case "jku": case "x5u": case "x5c": unsupported = property.Name; break;
                    }
                }
                return (alg, kid, unsupported);
            }
            catch (JsonException) { return null; }
        }

        private static bool TryDecode(string part, out byte[] bytes)
        {
            bytes = new byte[0];
            foreach (var c in part)
                if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) return false;
            if (part.Length % 4 == 1) return false;
            try { bytes = Base64UrlEncoder.DecodeBytes(part); return true; }
            catch (FormatException) { return false; }
        }

        private static bool ByteEquals(byte[] a, byte[] b)
        {
            if (a.Length != b.Length) return false;
            var diff = 0;
            for (var i = 0; i < a.Length; i++) diff |= a[i] ^ b[i];
            return diff == 0;
        }
    }
}
