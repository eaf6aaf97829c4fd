#Requires -Version 7.4
<#
.SYNOPSIS
    Puts the bench's result file and the independent verification's side by side: each row's two figures, and how far
    apart they are (the larger over the smaller, minus one; within 10% counts as agreeing).
.EXAMPLE
    dotnet pwsh ./bench/verify/Compare-Results.ps1 -Bench bench/results/latest.json -Verification bench/results/verify.json
#>
param(
    [Parameter(Mandatory)] [string] $Bench,
    [Parameter(Mandatory)] [string] $Verification,
    [double] $Tolerance = 0.10
)

$ErrorActionPreference = 'Stop'
$benchRows = @{}
foreach ($row in (Get-Content $Bench -Raw | ConvertFrom-Json).headline) { if ($null -ne $row.after) { $benchRows[$row.measure] = [double]$row.after } }
$verify = Get-Content $Verification -Raw | ConvertFrom-Json -AsHashtable
$agree = 0; $compared = 0
$table = foreach ($name in $verify.rows.Keys) {
    if (-not $benchRows.ContainsKey($name)) { [pscustomobject]@{ Row = $name; Bench = $null; Verification = $verify.rows[$name].value; Apart = 'not in the bench file' }; continue }
    $a = $benchRows[$name]; $b = [double]$verify.rows[$name].value
    $apart = if ($a -eq 0 -and $b -eq 0) { 0 } elseif ($a * $b -le 0) { [double]::PositiveInfinity } else { [Math]::Max($a, $b) / [Math]::Min($a, $b) - 1 }
    $compared++; if ($apart -le $Tolerance) { $agree++ }
    [pscustomobject]@{ Row = $name; Bench = [Math]::Round($a, 3); Verification = [Math]::Round($b, 3); Apart = '{0:P1}{1}' -f $apart, $(if ($apart -gt $Tolerance) { '  OUTSIDE' } else { '' }) }
}
$table | Format-Table -AutoSize -Wrap | Out-String -Width 220
"$agree of $compared rows within $($Tolerance.ToString('P0')). Bench load: $((Get-Content $Bench -Raw | ConvertFrom-Json).load_average -join '; ')"
"Verification load: $($verify.load_average -join '; ')"
