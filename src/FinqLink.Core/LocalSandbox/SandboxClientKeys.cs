using System;
using System.Collections;
using System.IO;

namespace FinqLink.LocalSandbox
{
    /// <summary>A public key file as the sandbox's client registration takes it: {kid, jwk} or {kid, pem}.</summary>
    public static class SandboxClientKeys
    {
        public static IDictionary FromFile(string path, string? keyId)
        {
            var text = File.ReadAllText(path).Trim();
            if (text.StartsWith("{", StringComparison.Ordinal))
            {
                var jwk = Json.PlainJson.Parse(text) as IDictionary ?? throw new FormatException($"PublicKeyPath: {path} is not a JSON object.");
                if (jwk.Contains("d")) throw new ArgumentException($"PublicKeyPath: {path} holds a private key; register the public one (public.key.json).");
                var kid = keyId ?? jwk["kid"] as string ?? throw new ArgumentException($"KeyId: {path} has no kid; give -KeyId.");
                return new Hashtable { ["kid"] = kid, ["jwk"] = jwk };
            }
            if (text.StartsWith("-----BEGIN PUBLIC KEY-----", StringComparison.Ordinal))
                return new Hashtable { ["kid"] = keyId ?? throw new ArgumentException("KeyId: a PEM public key needs -KeyId."), ["pem"] = text };
            throw new FormatException($"PublicKeyPath: {path} is neither a public JWK (public.key.json) nor a PEM public key.");
        }
    }
}
