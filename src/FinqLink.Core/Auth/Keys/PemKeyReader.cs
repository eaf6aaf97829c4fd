using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace FinqLink.Auth.Keys
{
    /// <summary>
    /// Reads the private key of a PEM file: PKCS#8 ("PRIVATE KEY"), PKCS#1 ("RSA PRIVATE KEY") or SEC1 ("EC PRIVATE KEY"),
    /// next to blocks that are not keys (openssl ecparam writes "EC PARAMETERS" first; some files add the certificate).
    /// </summary>
    internal static class PemKeyReader
    {
        private const string Pkcs8 = "PRIVATE KEY", Pkcs1 = "RSA PRIVATE KEY", Sec1 = "EC PRIVATE KEY", Encrypted = "ENCRYPTED PRIVATE KEY";
        private static readonly Regex Begin = new Regex("-----BEGIN ([A-Z0-9 ]+)-----");

        public static AsymmetricAlgorithm Read(string text)
        {
            var blocks = Blocks(text);
            if (blocks.Count == 0) throw new KeyFormatException("The file has no PEM block (-----BEGIN …-----). Give the private key Finqware's key script wrote (private.key.pem).");
            var keys = blocks.Where(b => b.Label == Pkcs8 || b.Label == Pkcs1 || b.Label == Sec1 || b.Label == Encrypted).ToList();
            if (keys.Count == 0)
                throw new KeyFormatException($"The PEM file holds no private key, only {string.Join(", ", blocks.Select(b => b.Label).Distinct())}. Give the private key (private.key.pem), not the public key or certificate.");
            if (keys.Count > 1) throw new KeyFormatException($"The PEM file holds {keys.Count} private keys. Keep only the one whose public key is registered with Finqware.");
            var (label, body) = keys[0];
            // RFC 1421 headers (Proc-Type: 4,ENCRYPTED and DEK-Info) mark openssl's legacy encrypted keys.
            if (label == Encrypted || body.Contains("Proc-Type:")) throw DerKeyReader.Encrypted();
            var der = Base64(body);
            switch (label)
            {
                case Pkcs8: return Pkcs8PrivateKey.Read(der);
                case Pkcs1: return Pkcs1PrivateKey.Read(der);
                default: return Sec1PrivateKey.Read(der, null);
            }
        }

        private static List<(string Label, string Body)> Blocks(string text)
        {
            var blocks = new List<(string, string)>();
            for (var begin = Begin.Match(text); begin.Success;)
            {
                var label = begin.Groups[1].Value;
                var endLine = "-----END " + label + "-----";
                var bodyStart = begin.Index + begin.Length;
                var end = text.IndexOf(endLine, bodyStart, StringComparison.Ordinal);
                if (end < 0) throw new KeyFormatException($"The PEM block '{label}' has no END line: the file is cut short. Copy the whole key file again.");
                blocks.Add((label, text.Substring(bodyStart, end - bodyStart)));
                begin = Begin.Match(text, end + endLine.Length);
            }
            return blocks;
        }

        private static byte[] Base64(string body)
        {
            try { return Convert.FromBase64String(Regex.Replace(body, "\\s", "")); }
            catch (FormatException) { throw new KeyFormatException("The PEM block's base64 text is damaged. Copy the whole key file again."); }
        }
    }
}
