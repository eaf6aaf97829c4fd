using System;

namespace FinqLink.Auth.Keys
{
    /// <summary>
    /// A key (PEM, DER, JWK, JWKS, PFX or certificate) that cannot be used: malformed, encrypted, weak, of the wrong type
    /// or curve, or meant for another use. The message says what is wrong and what to do; it never quotes key material.
    /// </summary>
    public sealed class KeyFormatException : FormatException
    {
        public KeyFormatException(string message) : base(message) { }

        public KeyFormatException(string message, Exception innerException) : base(message, innerException) { }
    }
}
