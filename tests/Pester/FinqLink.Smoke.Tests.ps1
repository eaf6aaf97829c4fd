#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The quick lane's Pester run (./build.ps1 -Task QuickTest): the module as a user meets it, end to end in a few
# seconds. The other files cover each cmdlet in depth; this one says at once whether the build works at all.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'FinqLink.TestHelpers.psm1') -Force
    Import-FinqLinkUnderTest
    $script:Sandbox = Start-FinqLinkTestSandbox
    $Sandbox | Connect-FinqLink
}

AfterAll {
    Disconnect-FinqLink -ErrorAction SilentlyContinue
    if ($script:Sandbox) { $script:Sandbox | Stop-FinqLinkSandbox }
}

Describe 'The module, smoke-tested' {
    It 'imports with every cmdlet the manifest names' {
        $manifest = Import-PowerShellDataFile (Get-FinqLinkTestManifest)
        (Get-Command -Module FinqLink -CommandType Cmdlet).Name | Sort-Object | Should -Be ($manifest.CmdletsToExport | Sort-Object)
    }

    It 'brings the secret cmdlets from $PSHOME, so ConvertTo-SecureString is not looked for by name in every module folder' {
        $output = Invoke-FinqLinkTestPwsh -Command @"
[bool](Get-Module Microsoft.PowerShell.Security)
Import-Module '$(Get-FinqLinkTestManifest)'
(Get-Module Microsoft.PowerShell.Security).Path -eq (Join-Path `$PSHOME 'Modules/Microsoft.PowerShell.Security/Microsoft.PowerShell.Security.psd1')
(Get-Command ConvertTo-SecureString).Source
"@
        $output | Should -Be 'False', 'True', 'Microsoft.PowerShell.Security'
    }

    It 'is connected to a local sandbox' {
        $session = Get-FinqSession
        $session.ClientId | Should -Be 'demo'
        "$($session.BaseUri)".TrimEnd('/') | Should -Be "$($Sandbox.BaseUri)".TrimEnd('/')
    }

    It 'creates a link and gets it back by id' {
        $created = New-FinqLink -Amount 12.50 -Currency RON -Reference 'smoke-1'
        $created.Status | Should -Be 'created'
        $read = Get-FinqLink -LinkId $created.LinkId
        $read.LinkId | Should -Be $created.LinkId
        $read.Status | Should -Be 'created'
        $read.WebUrl | Should -Be $created.WebUrl
        (Get-FinqLinkSandboxStats).links_created | Should -Be 1
    }

    It 'refuses an ambiguous amount before sending anything' {
        New-FinqLink -Amount '12,50' -Currency RON -Reference 'smoke-2' -ErrorVariable refused -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'FinqLink.InvalidInput.Amount*'
        (Get-FinqLinkSandboxStats).links_created | Should -Be 1
    }
}
