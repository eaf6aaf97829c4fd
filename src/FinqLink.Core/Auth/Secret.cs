using System;
using System.Runtime.InteropServices;
using System.Security;

namespace FinqLink.Auth
{
    /// <summary>A secret held by the client. It prints as asterisks; only the code that sends it reveals it.</summary>
    public sealed class Secret
    {
        private readonly SecureString _value;

        public Secret(SecureString value)
        {
            _value = value.Copy();
            _value.MakeReadOnly();
        }

        public static Secret FromString(string value)
        {
            var secure = new SecureString();
            foreach (var c in value) secure.AppendChar(c);
            return new Secret(secure);
        }

        internal string Reveal()
        {
            var ptr = Marshal.SecureStringToGlobalAllocUnicode(_value);
            try { return Marshal.PtrToStringUni(ptr) ?? ""; }
            finally { Marshal.ZeroFreeGlobalAllocUnicode(ptr); }
        }

        public override string ToString() => "********";
    }
}
