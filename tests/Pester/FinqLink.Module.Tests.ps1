#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

BeforeDiscovery {
    Get-Module FinqLink | Remove-Module -Force
    Import-Module FinqLink -Force -ErrorAction Stop
    $script:Cmdlets = (Get-Command -Module FinqLink).Name
}

BeforeAll {
    Import-Module FinqLink -Force -ErrorAction Stop
    $script:Manifest = Test-ModuleManifest -Path (Join-Path (Get-Module FinqLink).ModuleBase 'FinqLink.psd1')
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
}

Describe 'Help for <_>' -ForEach $Cmdlets {
    BeforeAll { $script:Help = Get-Help $_ -Full }

    It 'has a synopsis, a description and at least two examples' {
        $Help.Synopsis | Should -Not -BeNullOrEmpty
        $Help.Synopsis | Should -Not -Match '\[<CommonParameters>\]'
        $Help.Description | Should -Not -BeNullOrEmpty
        @($Help.Examples.Example).Count | Should -BeGreaterOrEqual 2
    }

    It 'describes every parameter' {
        foreach ($parameter in @($Help.Parameters.Parameter | Where-Object { $_ })) {
            ($parameter.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$($parameter.Name) needs a description"
        }
    }
}
