using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace FinqLink.PowerShell.Loading
{
    /// <summary>
    /// PowerShell 7: FinqLink.Core is resolved into one private load context, and everything FinqLink.Core needs is
    /// loaded there from the dependencies folder first. Only FinqLink.Core's name is answered for the default context,
    /// so whatever else the session has loaded (another Microsoft.IdentityModel, say) never meets ours.
    /// </summary>
    internal sealed class IsolatedDependencies : AssemblyLoadContext
    {
        private const string EntryAssembly = "FinqLink.Core";
        private static readonly object Gate = new object();
        private static IsolatedDependencies? _instance;
        private readonly string _folder;
        private readonly string _runtimeFolder = RuntimeEnvironment.GetRuntimeDirectory();

        private IsolatedDependencies(string folder) => _folder = folder;

        public static void Install(string folder)
        {
            lock (Gate)
            {
                if (_instance != null) return;
                _instance = new IsolatedDependencies(folder);
                Default.Resolving += (context, name) => name.Name == EntryAssembly ? _instance.LoadFromAssemblyName(name) : null;
            }
        }

        protected override Assembly? Load(AssemblyName name)
        {
            var path = Path.Combine(_folder, name.Name + ".dll");
            if (!File.Exists(path) || FrameworkProvides(name)) return null;
            return LoadFromAssemblyPath(path);
        }

        /// <summary>
        /// The runtime's own copy of a framework assembly (System.Text.Json on .NET 10, say) is shared when it is at least
        /// the version we were built against: nothing else can replace a framework assembly, so sharing it cannot clash.
        /// </summary>
        private bool FrameworkProvides(AssemblyName name)
        {
            var frameworkCopy = Path.Combine(_runtimeFolder, name.Name + ".dll");
            if (!File.Exists(frameworkCopy)) return false;
            try { return AssemblyName.GetAssemblyName(frameworkCopy).Version >= (name.Version ?? new Version(0, 0)); }
            catch (BadImageFormatException) { return false; }
        }
    }
}
