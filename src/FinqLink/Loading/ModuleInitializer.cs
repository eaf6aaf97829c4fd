using System;
using System.IO;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FinqLink.PowerShell.Loading
{
    /// <summary>
    /// Runs when Import-Module loads FinqLink.dll, before any cmdlet touches FinqLink.Core. FinqLink.Core and its
    /// dependencies (Microsoft.IdentityModel.*, System.Text.Json, QRCoder) live in the module's "dependencies" folder,
    /// where the runtime never looks by itself: on PowerShell 7 they load into a private AssemblyLoadContext, so other
    /// modules' versions of the same assemblies cannot clash with ours; on Windows PowerShell they resolve from that folder.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer
    {
        public const string DependencyFolderName = "dependencies";

        public void OnImport()
        {
            var moduleFolder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;
            var dependencies = Path.Combine(moduleFolder, DependencyFolderName);
            if (RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal)) FolderResolver.Install(dependencies);
            else InstallIsolation(dependencies);
            SecurityModulePreload.Run();
        }

        // Kept apart so Windows PowerShell never compiles a method that names AssemblyLoadContext.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void InstallIsolation(string dependencies) => IsolatedDependencies.Install(dependencies);
    }
}
