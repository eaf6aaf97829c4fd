using System;
using FinqLink.Auth;
using global::Azure;
using global::Azure.Core;
using global::Azure.Identity;
using global::Azure.Security.KeyVault.Keys.Cryptography;

namespace FinqLink.Azure.KeyVault
{
    /// <summary>
    /// Signs client assertions with a key in Azure Key Vault: the vault signs the SHA-256 digest (keys/sign), the private
    /// key never leaves it. The credential is DefaultAzureCredential, as for a storage journal: a managed identity in Azure
    /// Automation (role Key Vault Crypto User), a developer's Azure CLI login. Failures become messages that say what to
    /// fix, with the vault's status and error code but never a token or a response body.
    /// </summary>
    internal sealed class KeyVaultSigner
    {
        private static readonly char[] LineBreaks = { '\r', '\n' };
        private readonly CryptographyClient _client;
        private readonly Uri _keyId;
        private readonly SignatureAlgorithm _algorithm;

        public KeyVaultSigner(Uri keyId, string algorithm, TokenCredential? credential = null)
        {
            _keyId = keyId;
            _algorithm = algorithm == "ES256" ? SignatureAlgorithm.ES256 : SignatureAlgorithm.RS256;
            var options = new CryptographyClientOptions();
            options.Retry.MaxRetries = 2;
            options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
            _client = new CryptographyClient(keyId, credential ?? new DefaultAzureCredential(), options);
        }

        public byte[] Sign(SigningInput input)
        {
            try { return _client.Sign(_algorithm, input.Digest).Signature; }
            catch (RequestFailedException e) { throw new FinqLinkCredentialException(Refused(e)); }
            // Azure.Core's retries end in an AggregateException of the network failures they met.
            catch (AggregateException e)
            {
                var last = e.InnerExceptions[e.InnerExceptions.Count - 1];
                if (last is RequestFailedException refused && refused.Status != 0) throw new FinqLinkCredentialException(Refused(refused));
                throw new FinqLinkCredentialException($"Key Vault key {_keyId}: the vault could not be reached after {e.InnerExceptions.Count} tries ({FirstLine(last.Message)}).");
            }
            catch (AuthenticationFailedException e)
            {
                throw new FinqLinkCredentialException($"Key Vault key {_keyId}: no token for the vault from DefaultAzureCredential (in Azure Automation, turn on the account's managed identity; elsewhere, sign in with the Azure CLI). {FirstLine(e.Message)}");
            }
        }

        private string Refused(RequestFailedException e) => e.Status switch
        {
            0 => $"Key Vault key {_keyId}: the vault could not be reached ({FirstLine(e.Message)}).",
            401 or 403 => $"Key Vault key {_keyId}: the vault refused to sign ({e.Status} {e.ErrorCode}): give this identity the role 'Key Vault Crypto User' on the vault or the key (or the 'sign' permission in an access policy).",
            404 => $"Key Vault key {_keyId}: the vault has no such key ({e.ErrorCode}); check the name and version (the key's Key Identifier in the portal).",
            _ => $"Key Vault key {_keyId}: the vault did not sign ({e.Status} {e.ErrorCode}).",
        };

        private static string FirstLine(string message)
        {
            var end = message.IndexOfAny(LineBreaks);
            return end < 0 ? message : message.Substring(0, end);
        }
    }
}
