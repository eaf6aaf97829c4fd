#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The package as users install it: from a repository, with PSResourceGet and with PowerShellGet 2, into a user's module
# folder, then used by name in a new pwsh. Each install goes to a throwaway HOME, so nothing of the machine's changes.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'FinqLink.TestHelpers.psm1') -Force
    $script:Packages = Get-FinqLinkTestPackages
    $script:SandboxPath = Get-FinqLinkTestSandboxPath
    $script:Version = (Import-PowerShellDataFile (Get-FinqLinkTestManifest)).ModuleVersion

    # What a user runs after installing, in a new pwsh that finds FinqLink only by name.
    $script:UseIt = @"
`$ErrorActionPreference = 'Stop'
Import-Module FinqLink
'base=' + (Get-Module FinqLink).ModuleBase
`$sandbox = Start-FinqLinkSandbox -Path '$SandboxPath'
try {
    `$sandbox | Connect-FinqLink
    'providers=' + ((Get-FinqProvider).ProviderId -join ',')
    'synopsis=' + (Get-Help New-FinqLink).Synopsis
}
finally { `$sandbox | Stop-FinqLinkSandbox }
"@
}

Describe 'Installing the package' -Skip:$IsWindows {
    BeforeEach {
        $script:HomeFolder = New-FinqLinkTestFolder
        # .NET answers an empty path for a user folder that does not exist, and PSResourceGet would then use the working folder.
        $script:Environment = @{ HOME = $HomeFolder; PSModulePath = $null; FINQLINK_SANDBOX_PATH = $null }
        foreach ($xdg in @{ XDG_DATA_HOME = '.local/share'; XDG_CONFIG_HOME = '.config'; XDG_CACHE_HOME = '.cache' }.GetEnumerator()) {
            $Environment[$xdg.Key] = (New-Item -ItemType Directory -Path (Join-Path $HomeFolder $xdg.Value) -Force).FullName
        }
    }

    AfterEach { Remove-Item $HomeFolder -Recurse -Force -ErrorAction SilentlyContinue }

    It 'installs with PSResourceGet (Install-PSResource) and works by name in a new pwsh' {
        Invoke-FinqLinkTestPwsh -Environment $Environment -Command @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name FinqLinkLocal -Uri '$Packages' -Trusted
Install-PSResource FinqLink -Repository FinqLinkLocal -Scope CurrentUser -TrustRepository
"@ | Out-Null
        $output = Invoke-FinqLinkTestPwsh -Environment $Environment -Command $UseIt
        $output | Should -Contain "base=$(Join-Path $HomeFolder ".local/share/powershell/Modules/FinqLink/$Version")"
        ($output | Where-Object { $_ -like 'providers=*' }) | Should -Match 'bt_ro'
        ($output | Where-Object { $_ -like 'synopsis=*' }) | Should -Match 'payment link'
    }

    It 'installs with PowerShellGet 2 (Install-Module) and works by name in a new pwsh' {
        Invoke-FinqLinkTestPwsh -Environment $Environment -Command @"
`$ErrorActionPreference = 'Stop'
Import-Module PowerShellGet -RequiredVersion 2.2.5
Register-PSRepository -Name FinqLinkLocal -SourceLocation '$Packages' -InstallationPolicy Trusted
Install-Module FinqLink -Repository FinqLinkLocal -Scope CurrentUser
"@ | Out-Null
        $output = Invoke-FinqLinkTestPwsh -Environment $Environment -Command $UseIt
        $output | Should -Contain "base=$(Join-Path $HomeFolder ".local/share/powershell/Modules/FinqLink/$Version")"
        ($output | Where-Object { $_ -like 'providers=*' }) | Should -Match 'bt_ro'
    }
}
