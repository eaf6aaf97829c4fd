using System;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using System.Security;
using FinqLink.Auth;

namespace FinqLink.PowerShell.Infrastructure
{
    /// <summary>What signer and token scripts may answer, read leniently in form and strictly in content.</summary>
    internal static class HookAnswers
    {
        /// <summary>
        /// A signature: bytes, or base64 / base64url text (what Key Vault's REST API and Az cmdlets give). A script that ends with
        /// a byte array writes its bytes one by one to the pipeline, so a run of bytes is taken as one array.
        /// </summary>
        public static byte[] Signature(Collection<PSObject> output, string parameter)
        {
            var values = output.Where(o => o != null).Select(o => o.BaseObject).ToList();
            if (values.Count > 1 && values.All(v => v is byte)) return values.Cast<byte>().ToArray();
            var answer = ScriptHook.Single(output, parameter, "signature (a byte array or base64 text)").BaseObject;
            switch (answer)
            {
                case byte[] bytes when bytes.Length > 0: return bytes;
                case string text when text.Trim().Length > 0:
                    var base64 = text.Trim().Replace('-', '+').Replace('_', '/');
                    base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
                    try { return Convert.FromBase64String(base64); }
                    catch (FormatException) { throw new FinqLinkCredentialException($"{parameter}: the script's text is not base64 or base64url."); }
                default:
                    throw new FinqLinkCredentialException($"{parameter}: the script must output the signature as a byte array or base64 text, not a {answer.GetType().Name}.");
            }
        }

        /// <summary>
        /// A token: text or a SecureString, or an object with a Token (or AccessToken) and an ExpiresOn (or ExpiresAt) property,
        /// as Get-AzAccessToken outputs.
        /// </summary>
        public static AccessToken Token(Collection<PSObject> output, string parameter)
        {
            var item = ScriptHook.Single(output, parameter, "access token");
            switch (item.BaseObject)
            {
                case string text when text.Trim().Length > 0: return new AccessToken(Secret.FromString(text.Trim()), null);
                case SecureString secure: return new AccessToken(new Secret(secure), null);
                default:
                    var token = (item.Properties["Token"] ?? item.Properties["AccessToken"])?.Value;
                    var expires = (item.Properties["ExpiresOn"] ?? item.Properties["ExpiresAt"])?.Value;
                    var secret = token switch
                    {
                        string t when t.Trim().Length > 0 => Secret.FromString(t.Trim()),
                        SecureString s => new Secret(s),
                        PSObject { BaseObject: SecureString s } => new Secret(s),
                        _ => throw new FinqLinkCredentialException($"{parameter}: the script must output a token (text, a SecureString, or an object with a Token property)."),
                    };
                    return new AccessToken(secret, Expiry(expires));
            }
        }

        private static DateTimeOffset? Expiry(object? value) => (value is PSObject ps ? ps.BaseObject : value) switch
        {
            DateTimeOffset at => at,
            DateTime at => new DateTimeOffset(at.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : at),
            _ => null,
        };
    }
}
