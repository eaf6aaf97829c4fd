# What New-FinqLink -JournalPath keeps in memory per row beyond the same run without a journal, each run a fresh pwsh
# (bench/README.md, "The journal's memory"): used by bench/Measure-JournalMemory.ps1 and by the bench's table.
Set-StrictMode -Version Latest
Import-Module (Join-Path $PSScriptRoot 'BenchProcesses.psm1')
Import-Module (Join-Path $PSScriptRoot 'Statistics.psm1')

# The rows as the bench writes them: Amount,Currency,Reference; row i: amount {10 + i % 90}.50, RON, a reference unique to the file.
function New-BenchRowFile([string] $Folder, [int] $Count, [string] $Prefix) {
    $path = Join-Path $Folder "$Prefix.csv"
    $lines = [Collections.Generic.List[string]]::new()
    $lines.Add('Amount,Currency,Reference')
    foreach ($i in 1..$Count) { $lines.Add("$(10 + $i % 90).50,RON,$Prefix-$i") }
    [IO.File]::WriteAllLines($path, $lines)
    $path
}

# The text a fresh pwsh runs: its last line of output is the JSON of what it measured.
function Get-JournalMemoryCommand([string] $Module, [string] $BaseUri, [string] $Warm, [string] $Csv, [int] $Count, [string] $Journal) {
    $journalArguments = if ($Journal) { "@{ JournalPath = '$Journal' }" } else { '@{}' }
    $warmArguments = if ($Journal) { "@{ JournalPath = '$Journal.warm' }" } else { '@{}' }
    @"
`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'
Import-Module '$Module'
Connect-FinqLink -BaseUri '$BaseUri' -ClientId demo -ClientSecret (ConvertTo-SecureString demo-secret -AsPlainText -Force)
`$warm = $warmArguments
`$null = Import-Csv '$Warm' | New-FinqLink @warm
`$process = [Diagnostics.Process]::GetCurrentProcess()
function Measure-Kept { [GC]::Collect(2, [GCCollectionMode]::Aggressive, `$true, `$true); `$process.Refresh(); [GC]::GetTotalMemory(`$false), `$process.WorkingSet64 }
`$heap0, `$ws0 = Measure-Kept
`$run = $journalArguments
`$script:kept = `$null; `$script:n = 0
Import-Csv '$Csv' | New-FinqLink @run | ForEach-Object { if (++`$script:n -eq $Count) { `$script:kept = Measure-Kept } }
`$process.Refresh()
if (`$script:n -ne $Count) { throw "`$(`$script:n) outcomes for $Count rows" }
[ordered]@{ rows = $Count; heap_b_per_row = (`$script:kept[0] - `$heap0) / $Count; ws_b_per_row = (`$script:kept[1] - `$ws0) / $Count
  peak_ws_b_per_row = (`$process.PeakWorkingSet64 - `$ws0) / $Count; heap0_mb = `$heap0 / 1MB; ws0_mb = `$ws0 / 1MB; peak_ws_mb = `$process.PeakWorkingSet64 / 1MB } | ConvertTo-Json -Compress
"@
}

<#
Runs each row count $Rounds times with a journal and without, alternating (the order turns every round), each run in a
fresh pwsh against the sandbox at $BaseUri. Answers, per row count, the spread of each mode's figures and the journal's
cost: journal_heap_b_per_row and journal_ws_b_per_row (medians with the journal minus medians without).
#>
function Measure-JournalMemory([string] $Module, [string] $BaseUri, [int[]] $Rows, [int] $Rounds, [scriptblock] $OnRun) {
    $work = Join-Path ([IO.Path]::GetTempPath()) "finqlink-journal-memory-$PID-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    New-Item -ItemType Directory -Path $work -Force | Out-Null
    try {
        $stamp = [DateTime]::UtcNow.ToString('HHmmssfff')
        $warm = New-BenchRowFile $work 1000 "warm-$stamp"
        $measured = @{}
        foreach ($count in $Rows) {
            for ($round = 0; $round -lt $Rounds; $round++) {
                $modes = if ($round % 2) { 'journal', 'none' } else { 'none', 'journal' }
                foreach ($mode in $modes) {
                    $csv = New-BenchRowFile $work $count "$mode-$count-$round-$stamp"
                    $journal = if ($mode -eq 'journal') { Join-Path $work "$mode-$count-$round-$stamp.journal" } else { $null }
                    $run = Measure-FreshPwsh (Get-JournalMemoryCommand $Module $BaseUri $warm $csv $count $journal) -TimeoutSec 1800
                    if ($OnRun) { & $OnRun $count $mode $round $run }
                    if (-not $measured.Contains("$count/$mode")) { $measured["$count/$mode"] = [Collections.Generic.List[object]]::new() }
                    $measured["$count/$mode"].Add($run)
                    Remove-Item -LiteralPath $csv -ErrorAction Ignore
                    if ($journal) { Remove-Item -LiteralPath $journal, "$journal.warm" -ErrorAction Ignore }
                }
            }
        }
        $result = [ordered]@{}
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
            $result["$count"] = $summary
        }
        $result
    }
    finally { Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction Ignore }
}

Export-ModuleMember -Function Measure-JournalMemory
