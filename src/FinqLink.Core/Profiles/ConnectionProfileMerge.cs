namespace FinqLink.Profiles
{
    /// <summary>A saved profile under the values given when connecting: what is given wins, field by field.</summary>
    public static class ConnectionProfileMerge
    {
        /// <summary>
        /// A credential given replaces the saved one whole (its path, thumbprint and secret variable go with it), and so
        /// does a client certificate: half of one and half of another would connect as neither.
        /// </summary>
        public static ConnectionProfile Overlay(ConnectionProfile saved, ConnectionProfile given)
        {
            var merged = saved.Copy();
            if (given.BaseUri != null || given.Environment != null)
            {
                merged.BaseUri = given.BaseUri;
                merged.Environment = given.Environment;
            }
            merged.ClientId = given.ClientId ?? saved.ClientId;
            if (given.Credential != null)
            {
                merged.Credential = given.Credential;
                merged.PrivateKeyPath = given.PrivateKeyPath;
                merged.CertificateThumbprint = given.CertificateThumbprint;
                merged.PfxPath = given.PfxPath;
                merged.KeyVaultKeyId = given.KeyVaultKeyId;
                merged.SigningAlgorithm = given.SigningAlgorithm;
                // -PfxPassword given with the saved PFX is handled by the caller; a new credential keeps no old variable.
                merged.SecretVariable = given.SecretVariable;
            }
            if (given.ClientCertificateThumbprint != null || given.ClientCertificatePath != null)
            {
                merged.ClientCertificateThumbprint = given.ClientCertificateThumbprint;
                merged.ClientCertificatePath = given.ClientCertificatePath;
                merged.ClientCertificatePasswordVariable = given.ClientCertificatePasswordVariable;
            }
            merged.KeyId = given.KeyId ?? saved.KeyId;
            merged.TokenEndpoint = given.TokenEndpoint ?? saved.TokenEndpoint;
            merged.Scope = given.Scope ?? saved.Scope;
            merged.ApiVersion = given.ApiVersion ?? saved.ApiVersion;
            merged.UseTestPath = given.UseTestPath ?? saved.UseTestPath;
            merged.SkipCertificateCheck = given.SkipCertificateCheck ?? saved.SkipCertificateCheck;
            merged.Proxy = given.Proxy ?? saved.Proxy;
            merged.TimeoutSec = given.TimeoutSec ?? saved.TimeoutSec;
            merged.MaxRetries = given.MaxRetries ?? saved.MaxRetries;
            return merged;
        }
    }
}
