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

Describe 'API fields and parameters' {
    BeforeAll {
        # The module's one table from Core's API fields to parameters (internal: read by reflection, as a test may).
        $assembly = [FinqLink.PowerShell.Cmdlets.NewFinqLinkCommand].Assembly
        $script:FieldTable = $assembly.GetType('FinqLink.PowerShell.Infrastructure.ParameterNames', $true).GetProperty('All').GetValue($null)
        $script:ParameterSets = foreach ($command in Get-Command -Module FinqLink) {
            foreach ($parameter in $command.Parameters.Values) {
                [pscustomobject]@{
                    Command = $command.Name; Name = $parameter.Name; Aliases = $parameter.Aliases
                    ValidateSet = ($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] }).ValidValues
                }
            }
        }
    }

    It 'names a real parameter for every field Core validates, so every message names one' {
        foreach ($entry in $FieldTable.GetEnumerator()) {
            $ParameterSets | Where-Object Name -eq $entry.Value | Should -Not -BeNullOrEmpty -Because "$($entry.Key.Path) is shown as -$($entry.Value)"
        }
    }

    It 'offers in each [ValidateSet] exactly the values Core allows' {
        # A name can stand for fields of several cmdlets (-Status: a link's, a transaction's): the set must be one of theirs.
        $checked = 0
        foreach ($parameter in $ParameterSets | Where-Object ValidateSet) {
            $fields = @($FieldTable.GetEnumerator() | Where-Object { $_.Value -eq $parameter.Name -and $_.Key.Allowed })
            if ($fields.Count -eq 0 -or $parameter.Command -eq 'Wait-FinqConsent') { continue }   # consent statuses: below
            $offered = ($parameter.ValidateSet | Sort-Object) -join ','
            $offered | Should -BeIn @($fields | ForEach-Object { ($_.Key.Allowed | Sort-Object) -join ',' }) -Because "$($parameter.Command) -$($parameter.Name) is $($fields.Key.Path -join ' or ')"
            $checked++
        }
        $checked | Should -BeGreaterThan 3
    }

    It 'waits for the consent statuses Core knows' {
        $core = (Get-Command Wait-FinqConsent).OutputType[0].Type.Assembly
        $statuses = $core.GetType('FinqLink.Models.Data.ConsentStatuses', $true).GetField('All').GetValue($null)
        ((Get-Command Wait-FinqConsent).Parameters.Status.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] }).ValidValues |
            Sort-Object | Should -Be ($statuses | Sort-Object)
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
