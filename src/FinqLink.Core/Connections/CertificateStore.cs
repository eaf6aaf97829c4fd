using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FinqLink.Connections
{
    /// <summary>Certificates by thumbprint from the CurrentUser, then LocalMachine, 'My' store.</summary>
    internal static class CertificateStore
    {
        public static X509Certificate2 Find(string thumbprint, string parameter)
        {
            foreach (var location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
            {
                using var store = new X509Store(StoreName.My, location);
                try { store.Open(OpenFlags.ReadOnly); }
                catch (CryptographicException) { continue; }
                var found = store.Certificates.Find(X509FindType.FindByThumbprint, thumbprint, validOnly: false);
                if (found.Count > 0) return found[0];
            }
            throw new ArgumentException($"{parameter}: no certificate {thumbprint} in the CurrentUser or LocalMachine 'My' store.");
        }
    }
}
