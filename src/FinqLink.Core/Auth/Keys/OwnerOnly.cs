using System;
using System.IO;
using System.Runtime.InteropServices;

namespace FinqLink.Auth.Keys
{
    /// <summary>Makes a file readable and writable by its owner only (mode 600) on Unix; Windows files keep their folder's ACL.</summary>
    internal static class OwnerOnly
    {
        public static void Apply(string path)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return;
            // File.SetUnixFileMode exists from .NET 7 (PowerShell 7.4+), not in netstandard2.0's surface.
            var setMode = typeof(File).GetMethod("SetUnixFileMode", new[] { typeof(string), Type.GetType("System.IO.UnixFileMode") ?? typeof(void) });
            var modeType = Type.GetType("System.IO.UnixFileMode");
            if (setMode == null || modeType == null) return;
            setMode.Invoke(null, new[] { path, Enum.ToObject(modeType, 0x180) });   // UserRead | UserWrite
        }
    }
}
