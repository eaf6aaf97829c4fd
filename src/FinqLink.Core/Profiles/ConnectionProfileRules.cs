using System;
using System.Text.RegularExpressions;

namespace FinqLink.Profiles
{
    /// <summary>
    /// What a profile must be before it is written: a name that is a plain file name, and nothing that can carry a secret:
    /// no user, password or query in an address, and secret variables that are variable names, not values.
    /// </summary>
    internal static class ConnectionProfileRules
    {
        private static readonly Regex NamePattern = new Regex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", RegexOptions.CultureInvariant);
        private static readonly Regex VariablePattern = new Regex("^[A-Za-z_][A-Za-z0-9_]{0,127}$", RegexOptions.CultureInvariant);
        private static readonly Regex ThumbprintPattern = new Regex("^[0-9A-Fa-f]{40}$", RegexOptions.CultureInvariant);

        public static string CheckName(string? name)
        {
            if (name == null || !NamePattern.IsMatch(name) || name.EndsWith(".", StringComparison.Ordinal))
                throw Invalid($"Profile name '{name}': use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.");
            return name;
        }

        public static void Check(ConnectionProfile profile)
        {
            var name = CheckName(profile.Name);
            CheckAddress(name, nameof(profile.BaseUri), profile.BaseUri);
            CheckAddress(name, nameof(profile.TokenEndpoint), profile.TokenEndpoint);
            CheckAddress(name, nameof(profile.Proxy), profile.Proxy);
            CheckAddress(name, nameof(profile.KeyVaultKeyId), profile.KeyVaultKeyId);
            CheckVariable(name, nameof(profile.SecretVariable), profile.SecretVariable);
            CheckVariable(name, nameof(profile.ClientCertificatePasswordVariable), profile.ClientCertificatePasswordVariable);
            CheckThumbprint(name, nameof(profile.CertificateThumbprint), profile.CertificateThumbprint);
            CheckThumbprint(name, nameof(profile.ClientCertificateThumbprint), profile.ClientCertificateThumbprint);
            if (profile.ClientCertificatePath != null && profile.ClientCertificateThumbprint != null)
                throw Invalid($"Profile '{name}': give the client certificate by ClientCertificatePath or by ClientCertificateThumbprint, not both.");
            var needs = profile.Credential switch
            {
                ProfileCredential.PrivateKeyPath => profile.PrivateKeyPath == null ? nameof(profile.PrivateKeyPath) : null,
                ProfileCredential.CertificateThumbprint => profile.CertificateThumbprint == null ? nameof(profile.CertificateThumbprint) : null,
                ProfileCredential.Pfx => profile.PfxPath == null ? nameof(profile.PfxPath) : null,
                ProfileCredential.KeyVaultKey => profile.KeyVaultKeyId == null ? nameof(profile.KeyVaultKeyId) : null,
                ProfileCredential.PrivateKey or ProfileCredential.AccessToken => profile.SecretVariable == null ? nameof(profile.SecretVariable) : null,
                _ => null,
            };
            if (needs != null) throw Invalid($"Profile '{name}': a {profile.Credential} credential needs {needs}.");
        }

        private static void CheckAddress(string name, string field, Uri? address)
        {
            if (address == null) return;
            if (!address.IsAbsoluteUri || (address.Scheme != "https" && address.Scheme != "http"))
                throw Invalid($"Profile '{name}': {field} '{address.OriginalString}' must be an absolute http or https URL.");
            // The text is not repeated: it may hold the very secret that is refused.
            if (address.UserInfo.Length > 0 || address.Query.Length > 0 || address.Fragment.Length > 0)
                throw Invalid($"Profile '{name}': {field} holds a user, password, query or fragment; a profile never keeps what may be a secret. Save the address alone.");
        }

        private static void CheckVariable(string name, string field, string? variable)
        {
            if (variable != null && !VariablePattern.IsMatch(variable))
                throw Invalid($"Profile '{name}': {field} must be the name of an environment variable (letters, digits, '_'), never the secret itself.");
        }

        private static void CheckThumbprint(string name, string field, string? thumbprint)
        {
            if (thumbprint != null && !ThumbprintPattern.IsMatch(thumbprint))
                throw Invalid($"Profile '{name}': {field} '{thumbprint}' is not a certificate thumbprint (40 hex digits).");
        }

        private static ConnectionProfileException Invalid(string message) => new ConnectionProfileException(ConnectionProfileError.Invalid, message);
    }
}
