using System;
using System.Collections.Generic;
using System.Linq;

namespace FinqLink.Connections
{
    /// <summary>
    /// The environment variables Connect-FinqLink reads when it is given no credential: a client id, where to connect, and
    /// exactly one credential. Values are trimmed; empty ones count as unset. Secrets are read, never echoed.
    /// </summary>
    internal sealed class ConnectionEnvironment
    {
        public const string ClientId = "FINQLINK_CLIENT_ID", BaseUri = "FINQLINK_BASE_URI", Environment = "FINQLINK_ENVIRONMENT",
            TokenEndpoint = "FINQLINK_TOKEN_ENDPOINT", KeyId = "FINQLINK_KEY_ID", Scope = "FINQLINK_SCOPE", ApiVersion = "FINQLINK_API_VERSION",
            UseTestPath = "FINQLINK_USE_TEST_PATH",
            ClientSecret = "FINQLINK_CLIENT_SECRET", OAuthClientSecret = "FINQLINK_OAUTH_CLIENT_SECRET", PrivateKeyPath = "FINQLINK_PRIVATE_KEY_PATH",
            PrivateKey = "FINQLINK_PRIVATE_KEY", PfxPath = "FINQLINK_PFX_PATH", PfxPassword = "FINQLINK_PFX_PASSWORD",
            CertificateThumbprint = "FINQLINK_CERTIFICATE_THUMBPRINT", AccessToken = "FINQLINK_ACCESS_TOKEN",
            ClientCertificatePath = "FINQLINK_CLIENT_CERTIFICATE_PATH", ClientCertificatePassword = "FINQLINK_CLIENT_CERTIFICATE_PASSWORD",
            ClientCertificateThumbprint = "FINQLINK_CLIENT_CERTIFICATE_THUMBPRINT", KeyVaultKeyId = "FINQLINK_KEY_VAULT_KEY_ID";

        /// <summary>The credentials, one of which must be set.</summary>
        public static readonly string[] Credentials = { ClientSecret, OAuthClientSecret, PrivateKeyPath, PrivateKey, PfxPath, CertificateThumbprint, AccessToken, KeyVaultKeyId };

        private readonly IReadOnlyDictionary<string, string> _variables;

        /// <param name="variables">The environment, as the caller read it (the process's, or a test's).</param>
        public ConnectionEnvironment(IReadOnlyDictionary<string, string> variables) => _variables = variables;

        public string? Get(string name)
        {
            var value = _variables.TryGetValue(name, out var raw) ? raw?.Trim() : null;
            return string.IsNullOrEmpty(value) ? null : value;
        }

        public string Required(string name, string what) =>
            Get(name) ?? throw new ArgumentException($"$env:{name}: not set. Connect-FinqLink without credential parameters reads {what} from it.");

        /// <summary>The one credential variable that is set: an error naming them all when none is, or which ones conflict.</summary>
        public string Credential()
        {
            var set = Credentials.Where(name => Get(name) != null).ToList();
            if (set.Count == 1) return set[0];
            if (set.Count == 0)
                throw new ArgumentException("No credential: give one as a parameter (-ClientSecret, -PrivateKeyPath, -Certificate, …) or set exactly one of "
                                            + string.Join(", ", Credentials.Select(c => "$env:" + c)) + ".");
            throw new ArgumentException($"Conflicting credentials: {string.Join(" and ", set.Select(c => "$env:" + c))} {(set.Count == 2 ? "are both" : "are all")} set; set only one.");
        }

        public bool? Flag(string name)
        {
            var value = Get(name);
            if (value == null) return null;
            switch (value.ToLowerInvariant())
            {
                case "true": case "1": case "yes": return true;
                case "false": case "0": case "no": return false;
                default: throw new ArgumentException($"$env:{name}: '{value}' is not true or false.");
            }
        }
    }
}
