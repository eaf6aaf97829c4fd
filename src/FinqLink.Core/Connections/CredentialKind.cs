namespace FinqLink.Connections
{
    /// <summary>How a connection proves who it is: Connect-FinqLink's parameter sets, less the ones that only bind differently.</summary>
    public enum CredentialKind
    {
        /// <summary>Everything from FINQLINK_* environment variables: they name one of the kinds below.</summary>
        FromEnvironment,

        /// <summary>A saved profile, under the values given: it names one of the kinds below.</summary>
        FromProfile,

        /// <summary>Test mode: the client secret in every request body (-ClientSecret, -Credential).</summary>
        ClientSecret,

        /// <summary>private_key_jwt with a PEM or JWK key file, or the key's text from a variable.</summary>
        PrivateKey,

        Certificate,
        CertificateThumbprint,
        Pfx,

        /// <summary>OAuth2 with the client secret (RFC 6749).</summary>
        OAuthClientSecret,

        /// <summary>private_key_jwt signed by the caller's signer (an HSM, a smart card).</summary>
        Signer,

        /// <summary>A Bearer token obtained elsewhere, used until it expires.</summary>
        AccessToken,

        /// <summary>Bearer tokens from the caller's provider, asked again before each expires.</summary>
        AccessTokenProvider,

        /// <summary>private_key_jwt signed in Azure Key Vault by a key that never leaves it.</summary>
        KeyVaultKey,
    }
}
