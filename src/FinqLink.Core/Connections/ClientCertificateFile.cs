using System;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FinqLink.Connections
{
    /// <summary>An mTLS client certificate from a PFX file; errors name where the path and the password came from.</summary>
    internal static class ClientCertificateFile
    {
        public static X509Certificate2 Load(string path, string? password, string pathOrigin, string passwordOrigin)
        {
            if (!File.Exists(path)) throw new ArgumentException($"{pathOrigin}: the client certificate file {path} is not there.");
            try { return new X509Certificate2(File.ReadAllBytes(path), password, X509KeyStorageFlags.DefaultKeySet); }
            catch (CryptographicException e)
            {
                throw new ArgumentException($"{pathOrigin}: the PFX could not be opened (wrong password in {passwordOrigin}, or not a PFX).", e);
            }
        }
    }
}
