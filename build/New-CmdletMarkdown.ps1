#Requires -Version 7.2
<#
.SYNOPSIS
    Writes platyPS-schema markdown for module cmdlets that have none yet: what platyPS's New-MarkdownHelp does, for
    machines where platyPS is not installed (build.ps1 -Task Docs uses it then).
.DESCRIPTION
    SYNTAX and every parameter's metadata come from the imported cmdlet. The prose sections get "{{ Fill in … }}"
    placeholders, which the help tests refuse: a new cmdlet cannot ship until a person has written its help.
    Existing files are never touched.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleManifest,
    [Parameter(Mandatory)] [string] $OutputFolder
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Import-Module $ModuleManifest -Force
$common = [System.Management.Automation.PSCmdlet]::CommonParameters

function Get-TypeName([type] $type) {
    $type = [Nullable]::GetUnderlyingType($type) ?? $type
    if ($type.IsArray) { return (Get-TypeName $type.GetElementType()) + '[]' }
    $type.Name
}

function Get-SyntaxLine($command, $set) {
    $parts = foreach ($p in $set.Parameters | Where-Object Name -notin $common) {
        $value = if ($p.ParameterType -eq [switch]) { '' } else { " <$(Get-TypeName $p.ParameterType)>" }
        $name = if ($p.Position -ge 0) { "[-$($p.Name)]" } else { "-$($p.Name)" }
        $text = "$name$value"
        if (-not $p.IsMandatory) { $text = "[$text]" }
        $text
    }
    (@($command.Name) + $parts + '[<CommonParameters>]') -join ' '
}

foreach ($command in Get-Command -Module FinqLink -CommandType Cmdlet) {
    $path = Join-Path $OutputFolder "$($command.Name).md"
    if (Test-Path $path) { continue }
    $text = [System.Text.StringBuilder]::new()
    $null = $text.AppendLine("---`nexternal help file: FinqLink.dll-Help.xml`nModule Name: FinqLink`nonline version:`nschema: 2.0.0`n---`n")
    $null = $text.AppendLine("# $($command.Name)`n`n## SYNOPSIS`n{{ Fill in the Synopsis }}`n`n## SYNTAX`n")
    foreach ($set in $command.ParameterSets) {
        $label = if ($command.ParameterSets.Count -eq 1) { '__AllParameterSets' } else { $set.Name + $(if ($set.IsDefault) { ' (Default)' } else { '' }) }
        $null = $text.AppendLine("### $label`n```````nGet-Placeholder`n```````n".Replace('Get-Placeholder', (Get-SyntaxLine $command $set)))
    }
    $null = $text.AppendLine("## DESCRIPTION`n{{ Fill in the Description }}`n`n## EXAMPLES`n")
    $null = $text.AppendLine("### Example 1`n``````powershell`nPS C:\> {{ Add example code here }}`n```````n`n{{ Add example description here }}`n")
    $null = $text.AppendLine("## PARAMETERS`n")
    foreach ($name in $command.Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object) {
        $parameter = $command.Parameters[$name]
        $null = $text.AppendLine("### -$name`n{{ Fill $name Description }}`n")
        $bySet = $parameter.ParameterSets.GetEnumerator() | Group-Object { $m = $_.Value; "$($m.IsMandatory)|$($m.Position)|$($m.ValueFromPipeline)|$($m.ValueFromPipelineByPropertyName)" }
        foreach ($group in $bySet) {
            $m = $group.Group[0].Value
            $sets = if ($group.Group[0].Key -eq '__AllParameterSets') { '(All)' } else { ($group.Group.Key | Sort-Object) -join ', ' }
            $ways = @(if ($m.ValueFromPipelineByPropertyName) { 'ByPropertyName' }; if ($m.ValueFromPipeline) { 'ByValue' })
            $pipeline = if ($ways) { "True ($($ways -join ', '))" } else { 'False' }
            $position = if ($m.Position -ge 0) { $m.Position } else { 'Named' }
            $null = $text.AppendLine("``````yaml`nType: $(Get-TypeName $parameter.ParameterType)`nParameter Sets: $sets`nAliases: $($parameter.Aliases -join ', ')`n")
            $null = $text.AppendLine("Required: $($m.IsMandatory)`nPosition: $position`nDefault value: None`nAccept pipeline input: $pipeline`nAccept wildcard characters: False`n```````n")
        }
    }
    $null = $text.AppendLine("### CommonParameters`nThis cmdlet supports the common parameters: -Debug, -ErrorAction, -ErrorVariable, -InformationAction, -InformationVariable, -OutVariable, -OutBuffer, -PipelineVariable, -ProgressAction, -Verbose, -WarningAction, and -WarningVariable. For more information, see [about_CommonParameters](http://go.microsoft.com/fwlink/?LinkID=113216).`n")
    $null = $text.AppendLine("## INPUTS`n`n### None`n`n## OUTPUTS`n`n### System.Object`n`n## NOTES`n`n## RELATED LINKS")
    Set-Content -Path $path -Value $text.ToString().TrimEnd() -Encoding utf8NoBOM
    Write-Warning "$path was written with placeholders: fill in the synopsis, description, examples and parameter descriptions."
}
