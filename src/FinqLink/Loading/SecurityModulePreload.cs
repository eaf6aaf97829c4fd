using System;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace FinqLink.PowerShell.Loading
{
    /// <summary>
    /// Imports Microsoft.PowerShell.Security, where Connect-FinqLink's secrets come from (ConvertTo-SecureString,
    /// Get-Credential), from $PSHOME by path while FinqLink loads. Left to autoloading, a fresh pwsh looks for it by name
    /// through every module folder: a first Connect-FinqLink with ConvertTo-SecureString took 535 ms instead of 386 (one
    /// interleaved run of fresh pwsh processes), and the import by path costs about 20 ms. Only a shortcut: where $PSHOME is
    /// not beside System.Management.Automation (Windows PowerShell loads it from the GAC) or the import fails, autoloading
    /// finds the module as before.
    /// </summary>
    internal static class SecurityModulePreload
    {
        public static void Run()
        {
            var psHome = Path.GetDirectoryName(typeof(PSObject).Assembly.Location);
            if (string.IsNullOrEmpty(psHome) || Runspace.DefaultRunspace is null) return;
            var manifest = Path.Combine(psHome, "Modules", "Microsoft.PowerShell.Security", "Microsoft.PowerShell.Security.psd1");
            if (!File.Exists(manifest)) return;
            try
            {
                using var shell = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace);
                shell.AddCommand(@"Microsoft.PowerShell.Core\Import-Module").AddParameter("Name", manifest).AddParameter("Global").Invoke();
            }
            catch (Exception e) when (e is RuntimeException or InvalidOperationException)
            {
                // Autoloading still finds it.
            }
        }
    }
}
