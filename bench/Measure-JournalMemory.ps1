#Requires -Version 7.4
<#
.SYNOPSIS
    What New-FinqLink -JournalPath keeps in memory per row, beyond the same run without a journal.
.DESCRIPTION
    No injected latency. Each measured run is a fresh pwsh: import the module, Connect-FinqLink, one unmeasured run of
    1,000 rows in the same mode (with a journal, or without), then the baseline: an aggressive collection
    ([GC]::Collect(2, [GCCollectionMode]::Aggressive, $true, $true), which also gives free memory back to the system),
    the managed heap and the process's working set. Then the measured run, `Import-Csv $csv | New-FinqLink
    [-JournalPath <new file>]` piped into ForEach-Object, which counts the rows and, at the last one (every row's
    outcome is out, and the run with its journal is still alive), takes the same two readings the same way. Per row:

      heap_b_per_row     (heap at the last row - baseline heap) / rows
      ws_b_per_row       (working set at the last row - baseline working set) / rows
      peak_ws_b_per_row  (the process's peak working set after the run - baseline working set) / rows, for the record:
                         it also holds garbage not yet collected, and moved by 4x between runs

    The journal's cost is the journaled run's figure minus the run without a journal, from the medians of the rounds;
    the target is 400 B per row or less. Runs with and without a journal alternate (the order turns every round).
    Writes bench/results/journal-memory.json. Needs the tree built (./build.ps1).
.EXAMPLE
    dotnet pwsh ./bench/Measure-JournalMemory.ps1
.EXAMPLE
    dotnet pwsh ./bench/Measure-JournalMemory.ps1 -Rows 10000 -Rounds 1
#>
[CmdletBinding()]
param([int[]] $Rows = @(10000, 100000), [int] $Rounds = 3, [string] $Module, [string] $OutFile)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$ProgressPreference = 'SilentlyContinue'
$root = Split-Path $PSScriptRoot -Parent
if (-not $OutFile) { $OutFile = Join-Path $root 'bench/results/journal-memory.json' }
Import-Module (Join-Path $root 'tests/Pester/FinqLink.TestHelpers.psm1') -Force
Import-Module (Join-Path $PSScriptRoot 'lib/JournalMemory.psm1') -Force
if (-not $Module) { $Module = Get-FinqLinkTestManifest }
Import-Module $Module -Force
function Get-LoadAverage { if (Test-Path /proc/loadavg) { ((Get-Content /proc/loadavg -Raw).Split(' ')[0..2]) -join ' ' } }

$sandbox = Start-FinqLinkSandbox -Path (Get-FinqLinkTestSandboxPath) -JobStepDelayMs 10 -BankStepDelayMs 10 -JobCooldownSec 0 -TimeoutSec 60
$load = [Collections.Generic.List[string]]::new()
try {
    $load.Add("start $(Get-LoadAverage)")
    $report = {
        param($count, $mode, $round, $run)
        Write-Host ("{0,7:N0} rows {1,-7} round {2}: heap {3,6:N0} B/row, working set {4,6:N0} B/row, peak {7,6:N0} B/row (baseline heap {5:N1} MB, working set {6:N1} MB)" -f
            $count, $mode, $round, $run.heap_b_per_row, $run.ws_b_per_row, $run.heap0_mb, $run.ws0_mb, $run.peak_ws_b_per_row)
    }
    $rowsMeasured = Measure-JournalMemory -Module $Module -BaseUri $sandbox.BaseUri -Rows $Rows -Rounds $Rounds -OnRun $report
    $load.Add("end $(Get-LoadAverage)")
    $result = [ordered]@{ rounds = $Rounds; module = $Module; load_average = $load; measured_at = [DateTime]::UtcNow.ToString('o'); rows = $rowsMeasured }
    foreach ($count in $Rows) {
        $summary = $rowsMeasured["$count"]
        Write-Host ("{0,7:N0} rows: the journal adds {1:N0} B/row of managed heap and {2:N0} B/row of working set (target <= 400)" -f
            $count, $summary.journal_heap_b_per_row, $summary.journal_ws_b_per_row)
    }
    New-Item -ItemType Directory -Path (Split-Path $OutFile) -Force | Out-Null
    $result | ConvertTo-Json -Depth 6 | Set-Content $OutFile
    Write-Host "Load average (1, 5, 15 min): $($load -join '; ')"
}
finally {
    Stop-FinqLinkSandbox -Sandbox $sandbox -ErrorAction SilentlyContinue
}
