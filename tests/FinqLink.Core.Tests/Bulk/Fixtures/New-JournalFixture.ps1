# Writes journal-v0.jsonl: the journal a build of main before typed requests (commit e7aafc0) wrote for the rows in
# journal-rows.json, against a local sandbox. JournalFingerprintTests holds later builds to the same keys and
# fingerprints, so a journal written by that version resumes without every row being "edited". Run it with that build:
#   dotnet pwsh -NoProfile -File New-JournalFixture.ps1 -Manifest <out/FinqLink/<version>/FinqLink.psd1>
param([Parameter(Mandatory)] [string] $Manifest)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
Import-Module $Manifest
$rows = Get-Content (Join-Path $PSScriptRoot 'journal-rows.json') -Raw | ConvertFrom-Json
$journal = Join-Path $PSScriptRoot 'journal-v0.jsonl'
Remove-Item $journal -ErrorAction SilentlyContinue
$sandbox = Start-FinqLinkSandbox -Path (Join-Path $PSScriptRoot '../../../../out/sandbox/FinqLink.Sandbox.dll')
try {
    $sandbox | Connect-FinqLink
    $extra = @{}
    foreach ($p in $rows.additionalProperties.PSObject.Properties) { $extra[$p.Name] = $p.Value }
    $extra.options = @{ ux_template = $rows.additionalProperties.options.ux_template }
    $extra.metadata = @{ order = $rows.additionalProperties.metadata.order; lines = @($rows.additionalProperties.metadata.lines) }
    $rows.plain | New-FinqLink -JournalPath $journal | Out-Null
    $rows.extra | New-FinqLink -JournalPath $journal -AdditionalProperties $extra | Out-Null
}
finally { $sandbox | Stop-FinqLinkSandbox }
