using System;
using System.Collections;
using System.Collections.Generic;

namespace FinqLink.LocalSandbox
{
    /// <summary>An API client to register with the sandbox (the control API's clients operation).</summary>
    public sealed class SandboxClientRegistration
    {
        public SandboxClientRegistration(string clientId) => ClientId = clientId;

        public string ClientId { get; }
        public string? AppName { get; set; }
        public string? ClientSecret { get; set; }
        /// <summary>A public key as <see cref="SandboxClientKeys.FromFile"/> reads it.</summary>
        public IDictionary? PublicKey { get; set; }
        public IReadOnlyList<string>? RequiredTracking { get; set; }
        /// <summary>Replaces a client already registered under the id.</summary>
        public bool Replace { get; set; }

        public string? KeyId => PublicKey?["kid"] as string;

        public IDictionary ToBody()
        {
            if (PublicKey == null && ClientSecret == null)
                throw new ArgumentException("PublicKeyPath or ClientSecret: give the client a public key, a secret or both.");
            var body = new Hashtable { ["client_id"] = ClientId, ["app_name"] = AppName ?? ClientId };
            if (ClientSecret != null) body["client_secret"] = ClientSecret;
            if (PublicKey != null) body["keys"] = new object[] { PublicKey };
            if (RequiredTracking != null) body["required_tracking"] = RequiredTracking;
            if (Replace) body["replace"] = true;
            return body;
        }
    }
}
