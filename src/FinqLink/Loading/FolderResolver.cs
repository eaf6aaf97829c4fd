using System;
using System.IO;
using System.Reflection;

namespace FinqLink.PowerShell.Loading
{
    /// <summary>Windows PowerShell 5.1: assemblies the runtime cannot find are loaded from the dependencies folder.</summary>
    internal static class FolderResolver
    {
        private static string? _folder;

        public static void Install(string folder)
        {
            if (_folder != null) return;
            _folder = folder;
            AppDomain.CurrentDomain.AssemblyResolve += Resolve;
        }

        private static Assembly? Resolve(object? sender, ResolveEventArgs args)
        {
            var path = Path.Combine(_folder!, new AssemblyName(args.Name).Name + ".dll");
            return File.Exists(path) ? Assembly.LoadFrom(path) : null;
        }
    }
}
