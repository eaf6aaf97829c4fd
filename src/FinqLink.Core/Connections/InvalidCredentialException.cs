using System;

namespace FinqLink.Connections
{
    /// <summary>A key or certificate that cannot be used: names the parameter at fault (or the variable it came from) and what it was.</summary>
    public sealed class InvalidCredentialException : ArgumentException
    {
        public InvalidCredentialException(string parameter, object? target, string message, Exception inner) : base(message, inner)
        {
            Parameter = parameter;
            Target = target;
        }

        /// <summary>The parameter the key was given by (PrivateKeyPath, PfxPath, Certificate, CertificateThumbprint).</summary>
        public string Parameter { get; }

        /// <summary>What was given: the path, the certificate or its thumbprint.</summary>
        public object? Target { get; }
    }
}
