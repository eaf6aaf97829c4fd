#Requires -Version 7.4
<#
.SYNOPSIS
    What New-FinqLink -JournalPath keeps in memory per row, beyond the same run without a journal.
.DESCRIPTION
    No injected latency. Each measured run is a fresh pwsh: import the module, Connect-FinqLink, one unmeasured run of
    1,000 rows in the same mode (with a journal, or without), a forced collection, then the baseline (the working set
    and the managed heap after a forced collection). Then the measured run, `Import-Csv $csv | New-FinqLink
    [-JournalPath <new file>]` piped into ForEach-Object, which counts the rows and, at the last one (every row's
    outcome is out, and the run with its journal is still alive), forces a collection and reads the managed heap.
    After the run it reads the process's peak working set. Per row:

      heap_b_per_row  (heap at the last row - baseline heap) / rows
      ws_b_per_row    (peak working set - baseline working set) / rows

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
Import-Module (Join-Path $PSScriptRoot 'lib/BenchProcesses.psm1') -Force
Import-Module (Join-Path $PSScriptRoot 'lib/Statistics.psm1') -Force
if (-not $Module) { $Module = Get-FinqLinkTestManifest }
Import-Module $Module -Force
function Get-LoadAverage { if (Test-Path /proc/loadavg) { ((Get-Content /proc/loadavg -Raw).Split(' ')[0..2]) -join ' ' } }

# The rows as the bench writes them: Amount,Currency,Reference; row i: amount {10 + i % 90}.50, RON, a reference unique to the file.
function New-RowFile([string] $Folder, [int] $Count, [string] $Prefix) {
    $path = Join-Path $Folder "$Prefix.csv"
    $lines = [Collections.Generic.List[string]]::new()
    $lines.Add('Amount,Currency,Reference')
    foreach ($i in 1..$Count) { $lines.Add("$(10 + $i % 90).50,RON,$Prefix-$i") }
    [IO.File]::WriteAllLines($path, $lines)
    $path
}

# The text a fresh pwsh runs: its last line of output is the JSON of what it measured.
function Get-RunCommand([string] $BaseUri, [string] $Warm, [string] $Csv, [int] $Count, [string] $Journal) {
    $journalArguments = if ($Journal) { "@{ JournalPath = '$Journal' }" } else { '@{}' }
    $warmArguments = if ($Journal) { "@{ JournalPath = '$Journal.warm' }" } else { '@{}' }
    @"
`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'
Import-Module '$Module'
Connect-FinqLink -BaseUri '$BaseUri' -ClientId demo -ClientSecret (ConvertTo-SecureString demo-secret -AsPlainText -Force)
`$warm = $warmArguments
`$null = Import-Csv '$Warm' | New-FinqLink @warm
`$process = [Diagnostics.Process]::GetCurrentProcess()
`$heap0 = [GC]::GetTotalMemory(`$true)
`$process.Refresh(); `$ws0 = `$process.WorkingSet64
`$run = $journalArguments
`$script:heap = 0; `$script:n = 0
Import-Csv '$Csv' | New-FinqLink @run | ForEach-Object { if (++`$script:n -eq $Count) { `$script:heap = [GC]::GetTotalMemory(`$true) } }
`$process.Refresh()
if (`$script:n -ne $Count) { throw "`$(`$script:n) outcomes for $Count rows" }
[ordered]@{ rows = $Count; heap_b_per_row = (`$script:heap - `$heap0) / $Count; ws_b_per_row = (`$process.PeakWorkingSet64 - `$ws0) / $Count
  heap0_mb = `$heap0 / 1MB; ws0_mb = `$ws0 / 1MB; peak_ws_mb = `$process.PeakWorkingSet64 / 1MB } | ConvertTo-Json -Compress
"@
}

$sandbox = Start-FinqLinkSandbox -Path (Get-FinqLinkTestSandboxPath) -JobStepDelayMs 10 -BankStepDelayMs 10 -JobCooldownSec 0 -TimeoutSec 60
$work = Join-Path ([IO.Path]::GetTempPath()) "finqlink-journal-memory-$PID"
New-Item -ItemType Directory -Path $work -Force | Out-Null
$load = [Collections.Generic.List[string]]::new()
try {
    $stamp = [DateTime]::UtcNow.ToString('HHmmss')
    $warm = New-RowFile $work 1000 "warm-$stamp"
    $measured = [ordered]@{}
    $load.Add("start $(Get-LoadAverage)")
    foreach ($count in $Rows) {
        for ($round = 0; $round -lt $Rounds; $round++) {
            $modes = if ($round % 2) { 'journal', 'none' } else { 'none', 'journal' }
            foreach ($mode in $modes) {
                $csv = New-RowFile $work $count "$mode-$count-$round-$stamp"
                $journal = if ($mode -eq 'journal') { Join-Path $work "$mode-$count-$round-$stamp.journal" } else { $null }
                $run = Measure-FreshPwsh (Get-RunCommand $sandbox.BaseUri $warm $csv $count $journal) -TimeoutSec 1800
                $key = "$count/$mode"
                if (-not $measured.Contains($key)) { $measured[$key] = [Collections.Generic.List[object]]::new() }
                $measured[$key].Add($run)
                Write-Host ("{0,7:N0} rows {1,-7} round {2}: heap {3,6:N0} B/row, peak working set {4,6:N0} B/row (baseline heap {5:N1} MB, working set {6:N1} MB)" -f
                    $count, $mode, $round, $run.heap_b_per_row, $run.ws_b_per_row, $run.heap0_mb, $run.ws0_mb)
                Remove-Item -LiteralPath $csv -ErrorAction Ignore
            }
        }
        $load.Add("$count rows $(Get-LoadAverage)")
    }
    $result = [ordered]@{ rounds = $Rounds; module = $Module; load_average = $load; measured_at = [DateTime]::UtcNow.ToString('o'); rows = [ordered]@{} }
    foreach ($count in $Rows) {
        $summary = [ordered]@{}
        foreach ($mode in 'none', 'journal') {
            $runs = $measured["$count/$mode"]
            $summary[$mode] = [ordered]@{
                heap_b_per_row = Get-Spread ($runs | ForEach-Object { $_.heap_b_per_row })
                ws_b_per_row   = Get-Spread ($runs | ForEach-Object { $_.ws_b_per_row })
            }
        }
        $summary['journal_heap_b_per_row'] = [math]::Round($summary.journal.heap_b_per_row.median - $summary.none.heap_b_per_row.median)
        $summary['journal_ws_b_per_row'] = [math]::Round($summary.journal.ws_b_per_row.median - $summary.none.ws_b_per_row.median)
        $result.rows["$count"] = $summary
        Write-Host ("{0,7:N0} rows: the journal adds {1:N0} B/row of managed heap and {2:N0} B/row of peak working set (target <= 400)" -f
            $count, $summary.journal_heap_b_per_row, $summary.journal_ws_b_per_row)
    }
    New-Item -ItemType Directory -Path (Split-Path $OutFile) -Force | Out-Null
    $result | ConvertTo-Json -Depth 6 | Set-Content $OutFile
    Write-Host "Load average (1, 5, 15 min): $($load -join '; ')"
}
finally {
    Stop-FinqLinkSandbox -Sandbox $sandbox -ErrorAction SilentlyContinue
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction Ignore
}
