<#
.SYNOPSIS
    Rewrites README.md's performance table, between <!-- bench:start --> and <!-- bench:end -->, from a bench result file.
.EXAMPLE
    dotnet pwsh ./bench/Update-ReadmePerformance.ps1 -ResultsPath bench/results/latest.json
#>
param(
    [string] $ResultsPath = (Join-Path $PSScriptRoot 'results/latest.json'),
    [string] $ReadmePath = (Join-Path $PSScriptRoot '../README.md')
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Import-Module (Join-Path $PSScriptRoot 'lib/BenchReport.psm1') -Force
$results = Get-Content -LiteralPath $ResultsPath -Raw | ConvertFrom-Json -AsHashtable
$readme = Get-Content -LiteralPath $ReadmePath -Raw
$pattern = '(?s)(<!-- bench:start -->\r?\n).*?(\r?\n<!-- bench:end -->)'
if ($readme -notmatch $pattern) { throw "$ReadmePath has no <!-- bench:start --> … <!-- bench:end --> section to fill." }
$table = Format-BenchMarkdown $results
$updated = [regex]::Replace($readme, $pattern, { param($m) $m.Groups[1].Value + $table + $m.Groups[2].Value })
Set-Content -LiteralPath $ReadmePath -Value $updated -NoNewline -Encoding utf8NoBOM
Write-Host "README.md's performance table rewritten from $ResultsPath."
