<#
.SYNOPSIS
    A long-lived pwsh that runs one benchmark contender at a time, on the driver's command, and stays warm between runs.
.DESCRIPTION
    Reads one command per line from standard input: '<operation> <JSON arguments>'. Answers each with one line,
    '##RESULT## <JSON>' or '##ERROR## <message>'. Every timed operation reports its wall time and what the process
    allocated and collected meanwhile, so every contender is measured the same way. 'exit' ends the worker.
#>
param(
    # The FinqLink module to import (its psd1); empty for the worker that runs only what users would write without it.
    [string] $Module,
    [Parameter(Mandatory)] [string] $BaseUri,
    [Parameter(Mandatory)] [string] $HelperPath
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $HelperPath
$base = $BaseUri.TrimEnd('/')
$importMs = $null
if ($Module) {
    $clock = [Diagnostics.Stopwatch]::StartNew()
    Import-Module $Module
    $importMs = $clock.Elapsed.TotalMilliseconds
    Connect-FinqLink -BaseUri $base -ClientId demo -ClientSecret (ConvertTo-SecureString demo-secret -AsPlainText -Force)
}

# Runs $work (which returns an item count) and measures it as every other contender is measured.
function Measure-Run([scriptblock] $work) {
    $gc = 0..2 | ForEach-Object { [GC]::CollectionCount($_) }
    $jit = [System.Runtime.JitInfo]::GetCompiledMethodCount($false)
    $allocated = [GC]::GetTotalAllocatedBytes($true)
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $count = & $work
    $ms = $clock.Elapsed.TotalMilliseconds
    [ordered]@{
        count        = [long]$count
        ms           = $ms
        allocated_mb = ([GC]::GetTotalAllocatedBytes($true) - $allocated) / 1MB
        gen0         = [GC]::CollectionCount(0) - $gc[0]
        gen1         = [GC]::CollectionCount(1) - $gc[1]
        gen2         = [GC]::CollectionCount(2) - $gc[2]
        jit_methods  = [System.Runtime.JitInfo]::GetCompiledMethodCount($false) - $jit
    }
}

# An Invoke-RestMethod paging loop as a script author would write it: each page's items go down the pipeline.
function Get-TransactionByRestMethod([string] $ConsentId) {
    $after = $null
    do {
        $body = @{ client_id = 'demo'; client_secret = 'demo-secret'; consent_id = $ConsentId; pagination = @{ limit = 250; after = $after } } | ConvertTo-Json -Compress
        $page = Invoke-RestMethod -Method Post -Uri "$base/v2/ais/transactions/list" -Body $body -ContentType 'application/json'
        $page.transactions
        $after = $page.pagination.after
    } while ($page.pagination.'more?')
}

# Core's own enumerable, read in compiled code: the session's client is internal, so it is reached by reflection once.
function Get-CoreTransactionList([string] $ConsentId) {
    $session = Get-FinqSession
    $client = $session.GetType().GetProperty('Client', [Reflection.BindingFlags]'NonPublic, Instance').GetValue($session)
    $paging = [Activator]::CreateInstance($client.GetType().Assembly.GetType('FinqLink.Paging.PageOptions', $true))
    $paging.PageSize = 250
    $paging.Prefetch = $true
    # As one object: written to the pipeline, the sequence would be read item by item by PowerShell itself.
    Write-Output -NoEnumerate $client.Transactions.List($ConsentId, $null, $paging, $null, [Threading.CancellationToken]::None)
}

$raw = [FinqLink.Bench.RawTransactionLoop]::new($base)
$rawLinks = [FinqLink.Bench.RawLinkCreator]::new($base)

$operations = @{
    ready         = { param($a) [ordered]@{ import_ms = $importMs; pid = $PID } }
    'page-module' = { param($a) Measure-Run { (Get-FinqTransaction -ConsentId $a.consent | Measure-Object).Count } }
    'page-core'   = { param($a) Measure-Run { [FinqLink.Bench.Items]::Count((Get-CoreTransactionList $a.consent)) } }
    # PowerShell's own cost: a compiled cmdlet writing one ready-made transaction as often, into the same Measure-Object.
    'page-floor'  = {
        param($a)
        $item = Get-FinqTransaction -ConsentId $a.consent -First 1
        Measure-Run { (Write-BenchItem -Count $a.count -Item $item | Measure-Object).Count }
    }
    'page-raw'    = { param($a) Measure-Run { $raw.Count($a.consent, 250) } }
    # The physical limit for typed objects in PowerShell: a compiled cmdlet that prefetches, into the same Measure-Object.
    'page-rawtyped' = { param($a) Measure-Run { (Get-RawTransaction -BaseUri $base -ConsentId $a.consent | Measure-Object).Count } }
    'page-irm'    = { param($a) Measure-Run { (Get-TransactionByRestMethod $a.consent | Measure-Object).Count } }
    # The input rows: a CSV file written by its own operation (Amount,Currency,Reference), read by Import-Csv in the run.
    'bulk-rows'   = {
        param($a)
        $script:csv = Join-Path ([IO.Path]::GetTempPath()) "finqlink-bench-rows-$PID.csv"
        $lines = [Collections.Generic.List[string]]::new()
        $lines.Add('Amount,Currency,Reference')
        foreach ($i in 1..$a.rows) { $lines.Add("$(10 + $i % 90).50,RON,$($a.prefix)-$i") }
        [IO.File]::WriteAllLines($script:csv, $lines)
        [ordered]@{ count = $a.rows }
    }
    'bulk-module' = { param($a) Measure-Run { (Import-Csv $script:csv | New-FinqLink | Measure-Object).Count } }
    # The same with a journal in a new file (deleted afterwards).
    'bulk-journal' = {
        param($a)
        $journal = Join-Path ([IO.Path]::GetTempPath()) "finqlink-bench-journal-$PID-$([guid]::NewGuid().ToString('N')).jsonl"
        try { Measure-Run { (Import-Csv $script:csv | New-FinqLink -JournalPath $journal | Measure-Object).Count } }
        finally { Remove-Item -LiteralPath $journal -ErrorAction Ignore }
    }
    'bulk-raw'    = { param($a) Measure-Run { $rawLinks.Create($a.rows, $a.throttle) } }
    'bulk-parallel' = {
        param($a)
        Measure-Run {
            # As a user writes it: the CSV's amount sent as it reads, one Invoke-RestMethod per row.
            (Import-Csv $script:csv | ForEach-Object -ThrottleLimit $a.throttle -Parallel {
                $body = @{ client_id = 'demo'; client_secret = 'demo-secret'; single_transfer = @{ amount = $_.Amount; currency = $_.Currency } } | ConvertTo-Json
                Invoke-RestMethod -Method Post -Uri "$using:base/v2/links/create" -Body $body -ContentType 'application/json'
            } | Measure-Object).Count
        }
    }
    webhook       = {
        param($a)
        $result = Measure-Run {
            # Plain local variables, as a user's loop has them: reading three properties of the request each time round
            # would time PowerShell's member lookup as well.
            $body, $signature, $kid, $count = $a.body, $a.signature, $a.kid, $a.count
            $valid = 0
            for ($i = 0; $i -lt $count; $i++) { if (Test-FinqWebhookSignature -Body $body -Signature $signature -KeyId $kid) { $valid++ } }
            $valid
        }
        if ($result.count -ne $a.count) { throw "$($a.count - $result.count) genuine webhooks failed verification." }
        $result
    }
}

while ($null -ne ($line = [Console]::In.ReadLine())) {
    $name, $json = $line.Split(' ', 2)
    if ($name -eq 'exit') { break }
    try {
        $arguments = if ($json) { $json | ConvertFrom-Json } else { $null }
        $answer = & $operations[$name] $arguments
        [Console]::Out.WriteLine('##RESULT## ' + ($answer | ConvertTo-Json -Compress -Depth 5))
    }
    catch {
        [Console]::Out.WriteLine('##ERROR## ' + ($_.Exception.Message -replace '\s+', ' '))
    }
    [Console]::Out.Flush()
}
# The rows file of the last bulk-rows operation, if any: nothing of the worker stays in the temp folder.
if (Get-Variable -Name csv -Scope Script -ErrorAction Ignore) { Remove-Item -LiteralPath $script:csv -ErrorAction Ignore }
