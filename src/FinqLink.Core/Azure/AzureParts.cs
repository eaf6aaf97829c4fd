using System;
using System.IO;
using System.Reflection;
using System.Threading;

namespace FinqLink.Azure
{
    /// <summary>
    /// Loads FinqLink.Azure (and with it the Azure SDK) the first time an Azure part is used, never before: a session
    /// with a local journal never loads an Azure assembly, and Import-Module pays nothing for them.
    /// </summary>
    /// <remarks>
    /// Why by name, not by a reference from Core: FinqLink.Azure implements Core's interfaces (IJournalStore), so it
    /// references Core and Core cannot reference it back. Loading it by name from Core's own code puts it where Core is:
    /// on PowerShell 7, <see cref="Assembly.Load(AssemblyName)"/> resolves in the calling assembly's load context (the
    /// module's private one, which finds FinqLink.Azure.dll and the Azure SDK in the dependencies folder); on Windows
    /// PowerShell the module's AssemblyResolve handler finds them in that folder. No type of FinqLink.Azure is named here,
    /// so nothing can touch one by accident.
    /// </remarks>
    public static class AzureParts
    {
        public const string AssemblyName = "FinqLink.Azure";
        private const string EntryType = "FinqLink.Azure.AzurePartsEntry";
        private static readonly Lazy<IAzureParts> Parts = new Lazy<IAzureParts>(Load, LazyThreadSafetyMode.ExecutionAndPublication);

        public static IAzureParts Get() => Parts.Value;

        private static IAzureParts Load()
        {
            Assembly assembly;
            try { assembly = Assembly.Load(new AssemblyName(AssemblyName)); }
            catch (FileNotFoundException e)
            {
                throw new InvalidOperationException($"{AssemblyName}.dll is missing from the module's dependencies folder: reinstall the module (Install-PSResource FinqLink -Reinstall).", e);
            }
            var type = assembly.GetType(EntryType, throwOnError: true)!;
            return (IAzureParts)Activator.CreateInstance(type)!;
        }
    }
}
