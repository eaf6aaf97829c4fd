#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'FinqLink.TestHelpers.psm1') -Force
    Import-FinqLinkUnderTest
    $script:Cmdlets = (Get-Command -Module FinqLink).Name
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'FinqLink.TestHelpers.psm1') -Force
    Import-FinqLinkUnderTest
    $script:Manifest = Test-ModuleManifest -Path (Get-FinqLinkTestManifest)
    $script:Common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
}

Describe 'The module' {
    It 'has a valid manifest for both editions' {
        $Manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $Manifest.PowerShellVersion | Should -Be '5.1'
    }

    It 'exports exactly the cmdlets the assembly defines' {
        $defined = [FinqLink.PowerShell.Cmdlets.NewFinqLinkCommand].Assembly.GetTypes() |
            Where-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) } |
            ForEach-Object { $a = $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]; "$($a.VerbName)-$($a.NounName)" }
        ($Manifest.ExportedCmdlets.Keys | Sort-Object) | Should -Be ($defined | Sort-Object)
    }

    It 'points its LicenseUri at the MIT LICENSE file at the repository root' {
        $Manifest.LicenseUri.AbsoluteUri | Should -Match '/LICENSE$'
        Get-Content (Join-Path $PSScriptRoot '../../LICENSE') -TotalCount 1 | Should -Be 'MIT License'
    }
}

Describe 'Help for <_>' -ForEach $Cmdlets {
    BeforeAll {
        $script:Help = Get-Help $_ -Full
        $script:Command = Get-Command $_
    }

    It 'has a synopsis, a description and at least two examples' {
        $Help.Synopsis | Should -Not -BeNullOrEmpty
        $Help.Synopsis | Should -Not -Match '\[<CommonParameters>\]'
        $Help.Description | Should -Not -BeNullOrEmpty
        @($Help.Examples.Example).Count | Should -BeGreaterOrEqual 2
    }

    It 'describes every parameter the cmdlet has' {
        $documented = @{}
        foreach ($parameter in @($Help.Parameters.Parameter | Where-Object { $_ })) { $documented[$parameter.Name] = ($parameter.Description | Out-String).Trim() }
        foreach ($name in $Command.Parameters.Keys | Where-Object { $_ -notin $Common }) {
            $documented.ContainsKey($name) | Should -BeTrue -Because "-$name is a parameter of $($Command.Name)"
            $documented[$name] | Should -Not -BeNullOrEmpty -Because "-$name needs a description"
        }
    }
}
