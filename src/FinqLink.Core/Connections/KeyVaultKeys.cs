using System;

namespace FinqLink.Connections
{
    /// <summary>Key Vault key identifiers as Connect-FinqLink takes them: https://&lt;vault&gt;/keys/&lt;name&gt;[/&lt;version&gt;].</summary>
    internal static class KeyVaultKeys
    {
        private static readonly char[] Slash = { '/' };

        /// <summary>The identifier, or an ArgumentException naming <paramref name="origin"/> that shows the shape wanted.</summary>
        public static Uri Check(Uri keyId, string origin)
        {
            var segments = keyId.IsAbsoluteUri ? keyId.AbsolutePath.Split(Slash, StringSplitOptions.RemoveEmptyEntries) : Array.Empty<string>();
            if (!keyId.IsAbsoluteUri || keyId.Scheme != "https" || keyId.UserInfo.Length > 0 || keyId.Query.Length > 0 || keyId.Fragment.Length > 0
                || segments.Length < 2 || segments.Length > 3 || segments[0] != "keys")
                throw new ArgumentException($"{origin}: '{(keyId.IsAbsoluteUri ? keyId.GetLeftPart(UriPartial.Path) : keyId.OriginalString)}' is not a Key Vault key identifier; give https://<vault>.vault.azure.net/keys/<name>[/<version>] (the key's Key Identifier in the portal).");
            return keyId;
        }

        /// <summary>The key's name: the kid the assertions carry when no -KeyId is given.</summary>
        public static string NameOf(Uri keyId) => keyId.AbsolutePath.Split(Slash, StringSplitOptions.RemoveEmptyEntries)[1];
    }
}
