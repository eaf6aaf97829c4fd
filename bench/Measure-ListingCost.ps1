#Requires -Version 7.4
<#
.SYNOPSIS
    What the first, second and tenth 100k listing in a fresh pwsh cost the process, for the module and the raw typed
    cmdlet: measures that a busy machine moves much less than wall time (JIT, allocations, CPU by thread).
.DESCRIPTION
    One local sandbox, one consent of -Transactions transactions. Each round starts one fresh pwsh per contender (the
    module: Import-Module and Connect-FinqLink, then Get-FinqTransaction | Measure-Object; raw: FinqLink.Bench's
    Get-RawTransaction | Measure-Object after one providers/list), in an order that alternates every round; each pwsh
    lists -Listings times (bench/lib/ListingCost.ps1 says what it records per listing). Every contender has its own
    pwsh cache folder, used once unmeasured first, as bench/README.md's fresh-process rows do.
    Prints, for listings 1, 2 and 10, the median of each measure per contender and the module's over raw's; writes
    every run to -OutFile (bench/results/listing-cost.json).
.EXAMPLE
    dotnet pwsh ./bench/Measure-ListingCost.ps1 -Rounds 5
#>
[CmdletBinding()]
param(
    # The module measured: by default this tree's build (out/FinqLink/<version>/FinqLink.psd1, built first).
    [string] $Module,
    [ValidateRange(1, 50)][int] $Rounds = 3,
    [ValidateRange(2, 20)][int] $Listings = 10,
    [ValidateRange(1000, 1000000)][int] $Transactions = 100000,
    [string] $OutFile
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$ProgressPreference = 'SilentlyContinue'
$root = Split-Path $PSScriptRoot -Parent
Import-Module (Join-Path $PSScriptRoot 'lib/BenchProcesses.psm1') -Force
Import-Module (Join-Path $PSScriptRoot 'lib/BenchBuild.psm1') -Force
if (-not $OutFile) { $OutFile = Join-Path $root 'bench/results/listing-cost.json' }
function Get-LoadAverage { if (Test-Path /proc/loadavg) { ((Get-Content /proc/loadavg -Raw).Split(' ')[0..2]) -join ' ' } else { 'n/a' } }

$build = Initialize-BenchBuild -Root $root -Module $Module
Import-Module $build.Module -Force
$sandbox = Start-FinqLinkSandbox -Path $build.Sandbox -JobStepDelayMs 10 -BankStepDelayMs 10 -JobCooldownSec 0 -TimeoutSec 60
$cacheRoot = Join-Path ([IO.Path]::GetTempPath()) "finqlink-listing-cost-$PID"
try {
    $sandbox | Connect-FinqLink
    $base = $sandbox.BaseUri.ToString().TrimEnd('/')
    Invoke-FinqLinkSandbox SetSettings -Body @{ transactions_per_consent = $Transactions } -Sandbox $sandbox | Out-Null
    $consent = New-FinqConsent -ProviderId bt_ro
    Invoke-FinqLinkSandbox ApproveConsent -Id $consent.ConsentId -ProviderId bt_ro -Sandbox $sandbox | Out-Null
    $null = Wait-FinqConsent -ConsentId $consent.ConsentId -PollIntervalSec 0.05 -TimeoutSec 30

    $script = Join-Path $PSScriptRoot 'lib/ListingCost.ps1'
    $contenders = [ordered]@{}
    foreach ($kind in 'module', 'raw') {
        $contenders[$kind] = "& '$script' -Kind $kind -BaseUri '$base' -ConsentId '$($consent.ConsentId)' -Expected $Transactions " +
            "-Module '$($build.Module)' -Helper '$($build.Helper)' -Listings $Listings"
    }
    $cache = @{}
    foreach ($kind in $contenders.Keys) {
        $cache[$kind] = New-Item -ItemType Directory -Force (Join-Path $cacheRoot $kind)
        $null = Measure-FreshPwsh ($contenders[$kind] -replace "-Listings $Listings", '-Listings 1') $cache[$kind] -TimeoutSec 600
    }
    $runs = [Collections.Generic.List[object]]::new()
    for ($round = 0; $round -lt $Rounds; $round++) {
        $order = if ($round % 2) { 'raw', 'module' } else { 'module', 'raw' }
        foreach ($kind in $order) {
            $load = Get-LoadAverage
            $measured = Measure-FreshPwsh $contenders[$kind] $cache[$kind] -TimeoutSec 600
            $runs.Add([ordered]@{ contender = $kind; round = $round; load_average = $load; listings = $measured.listings })
            Write-Host ("round {0} {1,-6} load {2}: {3}" -f $round, $kind, $load, (($measured.listings | ForEach-Object { '{0:0}' -f $_.ms }) -join ' '))
        }
    }
}
finally {
    Stop-FinqLinkSandbox -Sandbox $sandbox -ErrorAction SilentlyContinue
    Remove-Item -Recurse -Force $cacheRoot -ErrorAction SilentlyContinue
}

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    $middle = [int][Math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { $sorted[$middle] } else { ($sorted[$middle - 1] + $sorted[$middle]) / 2 }
}
$measures = [ordered]@{
    'wall ms' = { param($l) $l.ms }; 'CPU ms' = { param($l) $l.cpu_ms }; 'pipeline thread CPU ms' = { param($l) $l.thread_cpu_ms.pipeline }
    'thread pool CPU ms' = { param($l) $l.thread_cpu_ms.pool }; 'tiering worker CPU ms' = { param($l) $l.thread_cpu_ms.tiering }
    'JIT methods' = { param($l) $l.jit_methods }; 'JIT ms' = { param($l) $l.jit_ms }; 'allocated MB' = { param($l) $l.allocated_mb }
}
$table = foreach ($n in 1, 2, $Listings) {
    foreach ($measure in $measures.Keys) {
        $median = @{}
        foreach ($kind in 'module', 'raw') {
            $median[$kind] = Get-Median @($runs | Where-Object { $_.contender -eq $kind } | ForEach-Object { & $measures[$measure] $_.listings[$n - 1] })
        }
        [pscustomobject]@{
            Listing = $n; Measure = $measure; Module = [Math]::Round($median.module, 1); Raw = [Math]::Round($median.raw, 1)
            Ratio   = if ($median.raw) { [Math]::Round($median.module / $median.raw, 2) } else { $null }
        }
    }
}
$table | Format-Table -AutoSize | Out-Host
New-Item -ItemType Directory -Force (Split-Path $OutFile) | Out-Null
[ordered]@{ module = $build.Module; commit = $build.Commit; transactions = $Transactions; rounds = $Rounds; runs = $runs; medians = $table } |
    ConvertTo-Json -Depth 8 | Set-Content -Path $OutFile -Encoding utf8
Write-Host "Written to $OutFile"
