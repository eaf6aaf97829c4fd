using System;
using System.IO;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace FinqLink.Auth.Keys
{
    /// <summary>Makes a file (mode 600) or a folder (mode 700) its owner's only on Unix; on Windows they keep their folder's ACL.</summary>
    internal static class OwnerOnly
    {
        public static void Apply(string path) => SetMode(path, 0x180);   // UserRead | UserWrite

        public static void ApplyToFolder(string path) => SetMode(path, 0x1C0);   // UserRead | UserWrite | UserExecute

        private static void SetMode(string path, int mode)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return;
            // File.SetUnixFileMode exists from .NET 7 (PowerShell 7.4+), not in netstandard2.0's surface.
            var modeType = Type.GetType("System.IO.UnixFileMode");
            var setMode = typeof(File).GetMethod("SetUnixFileMode", new[] { typeof(string), modeType ?? typeof(void) });
            if (setMode == null || modeType == null) return;
            try { setMode.Invoke(null, new[] { path, Enum.ToObject(modeType, mode) }); }
            catch (TargetInvocationException e) when (e.InnerException != null)
            {
                // Callers handle the IOException or UnauthorizedAccessException SetUnixFileMode throws, not reflection's wrapper.
                ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            }
        }
    }
}
