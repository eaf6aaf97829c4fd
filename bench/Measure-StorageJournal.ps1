#Requires -Version 7.4
<#
.SYNOPSIS
    New-FinqLink with a journal in Azure Blob Storage (Azurite on loopback) against a local journal file.
.DESCRIPTION
    1,000 rows per run at 50 ms of API latency (the sandbox's links/create:latency=50 fault) and -ThrottleLimit 16, in
    one warm pwsh: the two journals interleaved, the order rotating every round, after one unmeasured run each. Reports
    the median time of each, the storage journal's rate as a share of the local journal's (the target is 0.90 or more),
    and the storage requests per row (every HTTP request the journal made, retries and lease renewals included,
    counted by the store and written with -Verbose). Writes bench/results/storage-journal.json.
    Needs the tree built (./build.ps1) and Node.js with npm (Azurite is installed from tests/Azurite on first use).
.EXAMPLE
    dotnet pwsh ./bench/Measure-StorageJournal.ps1
#>
[CmdletBinding()]
param([int] $Rows = 1000, [int] $Rounds = 5, [int] $LatencyMs = 50, [int] $ThrottleLimit = 16, [string] $OutFile)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$ProgressPreference = 'SilentlyContinue'
$root = Split-Path $PSScriptRoot -Parent
if (-not $OutFile) { $OutFile = Join-Path $root 'bench/results/storage-journal.json' }
Import-Module (Join-Path $root 'tests/Pester/FinqLink.TestHelpers.psm1') -Force
Import-Module (Join-Path $root 'tests/Pester/FinqLink.Azurite.psm1') -Force
Import-Module (Join-Path $PSScriptRoot 'lib/Statistics.psm1') -Force
Import-FinqLinkUnderTest

$azurite = Start-FinqLinkTestAzurite
$sandbox = Start-FinqLinkSandbox -Path (Get-FinqLinkTestSandboxPath) -JobStepDelayMs 10 -BankStepDelayMs 10 -JobCooldownSec 0 -TimeoutSec 60
$work = New-FinqLinkTestFolder
try {
    $sandbox | Connect-FinqLink
    Invoke-FinqLinkSandbox SetFaults -Fault "links/create:latency=$LatencyMs" -Sandbox $sandbox | Out-Null
    $env:AZURE_STORAGE_CONNECTION_STRING = $azurite.ConnectionString
    $journals = @{
        local   = { param($name) Join-Path $work "$name.journal" }
        storage = { param($name) "$($azurite.BlobEndpoint)/bench/$name.journal" }
    }
    $measured = @{ local = [Collections.Generic.List[object]]::new(); storage = [Collections.Generic.List[object]]::new() }
    function Invoke-Run([string] $Kind, [string] $Name, [int] $Count) {
        $rows = 1..$Count | ForEach-Object { [pscustomobject]@{ InvoiceNumber = "$Name-$_"; Amount = '{0}.{1:00}' -f (10 + $_), ($_ % 100); Currency = 'RON'; Description = "$Name-$_" } }
        $journal = & $journals[$Kind] $Name
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $verbose = $rows | New-FinqLink -JournalPath $journal -ThrottleLimit $ThrottleLimit -SummaryVariable summary -Verbose 4>&1 3>$null |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'Journal *storage requests*' }
        $ms = $clock.Elapsed.TotalMilliseconds
        if ($summary.Created -ne $Count) { throw "$Kind run $Name created $($summary.Created) of $Count links." }
        $requests = if ($verbose) { [int]([regex]::Match($verbose[-1].Message, '(\d+) storage requests').Groups[1].Value) } else { 0 }
        $appends = if ($verbose) { [int]([regex]::Match($verbose[-1].Message, 'of which (\d+) appends').Groups[1].Value) } else { 0 }
        [pscustomobject]@{ ms = $ms; requests = $requests; appends = $appends }
    }
    $stamp = [DateTime]::UtcNow.ToString('HHmmss')
    foreach ($kind in 'local', 'storage') { $null = Invoke-Run $kind "warm-$kind-$stamp" 100 }
    for ($round = 0; $round -lt $Rounds; $round++) {
        $order = if ($round % 2) { 'storage', 'local' } else { 'local', 'storage' }
        foreach ($kind in $order) {
            $run = Invoke-Run $kind "$kind-$stamp-$round" $Rows
            $measured[$kind].Add($run)
            Write-Host ("round {0} {1,-7} {2,7:N0} ms {3}" -f $round, $kind, $run.ms, $(if ($kind -eq 'storage') { "$($run.requests) storage requests, $($run.appends) appends" }))
        }
    }
    $local = Get-Spread ($measured.local | ForEach-Object ms)
    $storage = Get-Spread ($measured.storage | ForEach-Object ms)
    $requestsPerRow = (Get-Spread ($measured.storage | ForEach-Object { $_.requests / $Rows })).median
    $appendsPerRow = (Get-Spread ($measured.storage | ForEach-Object { $_.appends / $Rows })).median
    $result = [ordered]@{
        rows = $Rows; rounds = $Rounds; latency_ms = $LatencyMs; throttle = $ThrottleLimit
        load_average = if (Test-Path /proc/loadavg) { (Get-Content /proc/loadavg -Raw).Trim() } else { $null }
        local_ms = $local; storage_ms = $storage
        storage_rate_share = [math]::Round($local.median / $storage.median, 3)
        storage_requests_per_row = [math]::Round($requestsPerRow, 3); storage_appends_per_row = [math]::Round($appendsPerRow, 3)
        measured_at = [DateTime]::UtcNow.ToString('o')
    }
    New-Item -ItemType Directory -Path (Split-Path $OutFile) -Force | Out-Null
    $result | ConvertTo-Json -Depth 4 | Set-Content $OutFile
    Write-Host ("New-FinqLink, {0:N0} links at {1} ms, throttle {2}: storage journal {3:N0} ms, local journal {4:N0} ms (medians of {5}); rate share {6:P1} (target 90%); {7:N2} storage requests per row ({8:N2} appends)" -f
        $Rows, $LatencyMs, $ThrottleLimit, $storage.median, $local.median, $Rounds, $result.storage_rate_share, $requestsPerRow, $appendsPerRow)
}
finally {
    $env:AZURE_STORAGE_CONNECTION_STRING = $null
    Stop-FinqLinkSandbox $sandbox
    Stop-FinqLinkTestAzurite $azurite
    Remove-Item $work -Recurse -Force -ErrorAction SilentlyContinue
}
