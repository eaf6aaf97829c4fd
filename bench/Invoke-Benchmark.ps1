#Requires -Version 7.4
<#
.SYNOPSIS
    Measures the FinqLink module in real pwsh against what users would write instead, and against the physical limit.
.DESCRIPTION
    One local sandbox (127.0.0.1) serves every contender. Each contender runs in its own long-lived pwsh worker, warm,
    interleaved with the others (the order rotates every round) and repeated; figures are min / median / max.

      Paging      Get-FinqTransaction | Measure-Object; an Invoke-RestMethod paging loop | Measure-Object; Core's own
                  enumerable read in compiled code; a raw HttpClient + System.Text.Json loop (the physical limit); and a
                  compiled cmdlet writing ready-made objects into Measure-Object (PowerShell's own cost per item).
                  10k / 100k / 1M transactions, plus the module's first listing in a fresh process (100k).
      Bulk        New-FinqLink against ForEach-Object -Parallel { Invoke-RestMethod } -ThrottleLimit 16, 100 / 1,000 /
                  5,000 links at 50 ms latency, against the ceiling rows × 50 ms / 16.
      Fresh pwsh  what Import-Module adds to a new process; the first call (import, connect, one request) against one
                  Invoke-RestMethod call.
      Webhooks    Test-FinqWebhookSignature per second with the session's cached JWKS.

    With -BaselineModule (or -BaselineRef) a second build of the module is measured in the same run as "before".
    Writes bench/results/latest.json, prints the ratios, and regenerates README.md's Performance section from the JSON.
.EXAMPLE
    dotnet pwsh ./bench/Invoke-Benchmark.ps1 -BaselineRef origin/main
.EXAMPLE
    dotnet pwsh ./bench/Invoke-Benchmark.ps1 -Quick -NoReadme
#>
[CmdletBinding()]
param(
    # The module measured as "after": by default this tree's build (out/FinqLink/<version>/FinqLink.psd1).
    [string] $Module,
    # Another build of the module (its psd1), measured in the same run as "before".
    [string] $BaselineModule,
    # A git commit to build and measure as "before" (built in a temporary worktree outside this tree).
    [string] $BaselineRef,
    # 10k and 100k transactions, 100 and 1,000 links, fewer repeats: a check that the bench works, not figures to quote.
    [switch] $Quick,
    [string] $OutFile,
    # Leave README.md as it is.
    [switch] $NoReadme
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$ProgressPreference = 'SilentlyContinue'
$started = [Diagnostics.Stopwatch]::StartNew()
# The machine's load average at each step (Linux): the figures are only as quiet as the machine was.
$loadAverage = [Collections.Generic.List[string]]::new()
function Add-LoadAverage([string] $When) { if (Test-Path /proc/loadavg) { $loadAverage.Add("$When $(((Get-Content /proc/loadavg -Raw).Split(' ')[0..2]) -join ' ')") } }
$root = Split-Path $PSScriptRoot -Parent
Import-Module (Join-Path $PSScriptRoot 'lib/BenchProcesses.psm1') -Force
Import-Module (Join-Path $PSScriptRoot 'lib/Statistics.psm1') -Force
Import-Module (Join-Path $PSScriptRoot 'lib/BenchReport.psm1') -Force
Import-Module (Join-Path $PSScriptRoot 'lib/BenchBuild.psm1') -Force
Import-Module (Join-Path $PSScriptRoot 'lib/SignedWebhook.psm1') -Force
Import-Module (Join-Path $PSScriptRoot 'lib/JournalMemory.psm1') -Force
Import-Module (Join-Path $PSScriptRoot 'lib/QuietMachine.psm1') -Force
if (-not $OutFile) { $OutFile = Join-Path $root 'bench/results/latest.json' }

# The contenders of one round, rotated by one each round, so no contender always follows the same one.
function Get-Rotated([object[]] $Names, [int] $Round) {
    $start = $Round % $Names.Count
    @($Names[$start..($Names.Count - 1)]) + @(if ($start) { $Names[0..($start - 1)] })
}

function Write-Step([string] $Text) {
    Write-Host ("[{0,5:0}s] {1}" -f $started.Elapsed.TotalSeconds, $Text)
    Add-LoadAverage ($Text -split '[:(]')[0].Trim()
}

$build = Initialize-BenchBuild -Root $root -Module $Module -BaselineModule $BaselineModule -BaselineRef $BaselineRef
$builds = [ordered]@{ after = $build.Module }
Add-LoadAverage 'start'
if ($build.BaselineModule) { $builds['before'] = $build.BaselineModule }
Write-Step "after: $($build.Module)$(if ($build.BaselineModule) { "; before: $($build.BaselineModule)" })"

$scales = if ($Quick) { 10000, 100000 } else { 10000, 100000, 1000000 }
$repeats = @{ 10000 = 15; 100000 = 5; 1000000 = 5 }
$bulkRows = if ($Quick) { 100, 1000 } else { 100, 1000, 5000 }
$bulkRepeats = @{ 100 = 7; 1000 = 3; 5000 = 2 }
$journalRows = 10000, 100000
$journalRepeats = @{ 10000 = 7; 100000 = 4 }
$freshRounds = if ($Quick) { 3 } else { 11 }
$journalMemoryRounds = if ($Quick) { 1 } else { 5 }
$listings = 10
if ($Quick) { $repeats = @{ 10000 = 3; 100000 = 2 }; $bulkRepeats = @{ 100 = 2; 1000 = 1 }; $journalRepeats = @{ 10000 = 2; 100000 = 1 } }
$latencyMs = 50
$throttle = 16

Import-Module $build.Module -Force
$sandbox = Start-FinqLinkSandbox -Path $build.Sandbox -JobStepDelayMs 10 -BankStepDelayMs 10 -JobCooldownSec 0 -TimeoutSec 60
$workers = [ordered]@{}
try {
    $sandbox | Connect-FinqLink
    $base = $sandbox.BaseUri.ToString().TrimEnd('/')
    Write-Step "sandbox at $base (pid $($sandbox.ProcessId))"

    # One approved consent per scale: the sandbox generates its transactions on demand.
    $consents = @{}
    foreach ($scale in $scales) {
        Invoke-FinqLinkSandbox SetSettings -Body @{ transactions_per_consent = $scale } -Sandbox $sandbox | Out-Null
        $consent = New-FinqConsent -ProviderId bt_ro
        Invoke-FinqLinkSandbox ApproveConsent -Id $consent.ConsentId -ProviderId bt_ro -Sandbox $sandbox | Out-Null
        $null = Wait-FinqConsent -ConsentId $consent.ConsentId -PollIntervalSec 0.05 -TimeoutSec 30
        $consents[$scale] = $consent.ConsentId
    }

    # Fresh processes, interleaved and rotated, one new pwsh per run (bench/README.md, "Fresh processes"). They run first,
    # before any worker starts and before the bulk rows leave the sandbox holding a million links: on the machine as a
    # runbook meets it.
    $connect = "Connect-FinqLink -BaseUri '$base' -ClientId demo -ClientSecret (ConvertTo-SecureString demo-secret -AsPlainText -Force)"
    $oneRequest = "{`"client_id`":`"demo`",`"client_secret`":`"demo-secret`",`"consent_id`":`"$($consents[10000])`",`"pagination`":{`"limit`":1}}"
    function Timed([string] $Setup, [string] $Work) {
        "`$ProgressPreference = 'SilentlyContinue'; $Setup; `$j = [System.Runtime.JitInfo]::GetCompiledMethodCount(`$false); `$c = [Diagnostics.Stopwatch]::StartNew(); $Work; " +
        "@{ ms = `$c.Elapsed.TotalMilliseconds; jit_methods = [System.Runtime.JitInfo]::GetCompiledMethodCount(`$false) - `$j } | ConvertTo-Json -Compress"
    }
    # Ten listings of 100k in one process, each timed alone: the first, second and tenth are rows of the table.
    function Series([string] $Setup, [string] $Listing) {
        "`$ProgressPreference = 'SilentlyContinue'; $Setup; `$ms = foreach (`$i in 1..$listings) { `$c = [Diagnostics.Stopwatch]::StartNew(); " +
        "if (($Listing) -ne 100000) { throw 'short listing' }; `$c.Elapsed.TotalMilliseconds }; @{ ms = `$ms[0]; listings = @(`$ms) } | ConvertTo-Json -Compress"
    }
    $firstCall = "`$null = Get-FinqTransaction -ConsentId '$($consents[10000])' -First 1"
    # A runbook's connection: the secret in FINQLINK_* environment variables (set before the stopwatch), no SecureString.
    $fromEnvironment = "`$env:FINQLINK_BASE_URI = '$base'; `$env:FINQLINK_CLIENT_ID = 'demo'; `$env:FINQLINK_CLIENT_SECRET = 'demo-secret'"
    $fresh = [ordered]@{
        nothing          = Timed '' ''
        'irm-first-call' = Timed '' "`$null = Invoke-RestMethod -Method Post -Uri '$base/v2/ais/transactions/list' -Body '$oneRequest' -ContentType application/json"
        'series-raw'     = Series "Import-Module '$($build.Helper)'; [FinqLink.Bench.GetRawTransactionCommand]::Connect('$base')" "(Get-RawTransaction -BaseUri '$base' -ConsentId '$($consents[100000])' | Measure-Object).Count"
    }
    # PowerShell's own cost of importing a manifest module: an empty psm1 behind a minimal psd1.
    $emptyModule = New-EmptyManifestModule (Join-Path ([IO.Path]::GetTempPath()) "finqlink-bench-empty-$PID")
    $fresh['import-empty-manifest'] = Timed '' "Import-Module '$emptyModule'"
    foreach ($name in $builds.Keys) {
        $fresh["import@$name"] = Timed '' "Import-Module '$($builds[$name])'; `$null = Get-FinqSession -ErrorAction SilentlyContinue"
        $fresh["first-call@$name"] = Timed '' "Import-Module '$($builds[$name])'; $connect; $firstCall"
        $fresh["first-call-env@$name"] = Timed $fromEnvironment "Import-Module '$($builds[$name])'; Connect-FinqLink; $firstCall"
        $fresh["series@$name"] = Series "Import-Module '$($builds[$name])'; $connect" "(Get-FinqTransaction -ConsentId '$($consents[100000])' | Measure-Object).Count"
    }
    $quiet = Wait-QuietMachine
    Write-Step "before the fresh processes: build servers stopped, $(if ($quiet.Quiet) { 'machine idle' } else { 'machine NOT idle' }) after $($quiet.Seconds) s"
    $freshRuns = [ordered]@{}
    $cacheRoot = Join-Path ([IO.Path]::GetTempPath()) "finqlink-bench-cache-$PID"
    $cache = @{}
    foreach ($name in $fresh.Keys) {
        $cache[$name] = New-Item -ItemType Directory -Force (Join-Path $cacheRoot ($name -replace '@', '-'))
        $null = Measure-FreshPwsh $fresh[$name] $cache[$name] -TimeoutSec 300
        $freshRuns[$name] = [Collections.Generic.List[object]]::new()
    }
    $names = @($fresh.Keys)
    for ($round = 0; $round -lt $freshRounds; $round++) {
        foreach ($name in (Get-Rotated $names $round)) { $freshRuns[$name].Add((Measure-FreshPwsh $fresh[$name] $cache[$name] -TimeoutSec 300)) }
    }
    Remove-Item -Recurse -Force $cacheRoot, (Split-Path $emptyModule)
    Write-Step 'fresh processes measured'

    $workers['plain'] = Start-BenchWorker plain '' $base $build.Helper
    foreach ($name in $builds.Keys) { $workers[$name] = Start-BenchWorker $name $builds[$name] $base $build.Helper }
    Write-Step "workers: $(($workers.Values | ForEach-Object { "$($_.Name) pid $($_.Ready.pid)" }) -join ', ')"

    $paging = [ordered]@{}
    function Add-PagingRun([int] $Scale, [string] $Contender, $Run) {
        if ($Run.count -ne $Scale) { throw "$Contender read $($Run.count) transactions of $Scale." }
        $key = "$Scale/$Contender"
        if (-not $paging.Contains($key)) { $paging[$key] = [Collections.Generic.List[object]]::new() }
        $paging[$key].Add($Run)
    }

    # The sandbox and the physical limit warm first: a cold sandbox serves 100k several times slower for its first passes.
    foreach ($scale in $scales) { $null = Invoke-BenchWorker $workers.plain page-raw @{ consent = $consents[$scale] } -TimeoutSec 240 }
    1..6 | ForEach-Object { $null = Invoke-BenchWorker $workers.plain page-raw @{ consent = $consents[100000] } }

    # Every contender: (worker, operation). Core and the pipeline floor need a module's Core and types.
    $contenders = [ordered]@{ raw = @('plain', 'page-raw'); rawtyped = @('plain', 'page-rawtyped'); irm = @('plain', 'page-irm') }
    foreach ($name in $builds.Keys) {
        $suffix = if ($name -eq 'after') { '' } else { "@$name" }
        $contenders["core$suffix"] = @($name, 'page-core')
        $contenders["module$suffix"] = @($name, 'page-module')
    }
    $contenders['floor'] = @('after', 'page-floor')
    foreach ($contender in $contenders.Keys) {
        $worker, $operation = $contenders[$contender]
        $null = Invoke-BenchWorker $workers[$worker] $operation @{ consent = $consents[10000]; count = 10000 }
        if ($contender -ne 'irm') { $null = Invoke-BenchWorker $workers[$worker] $operation @{ consent = $consents[100000]; count = 100000 } }
    }
    Write-Step 'every contender warmed up'

    foreach ($scale in $scales) {
        $names = @($contenders.Keys)
        for ($round = 0; $round -lt $repeats[$scale]; $round++) {
            foreach ($contender in (Get-Rotated $names $round)) {
                # The Invoke-RestMethod loop takes about a minute per million: it runs once at that scale.
                if ($contender -eq 'irm' -and $scale -ge 1000000 -and $round -gt 0) { continue }
                $worker, $operation = $contenders[$contender]
                Add-PagingRun $scale $contender (Invoke-BenchWorker $workers[$worker] $operation @{ consent = $consents[$scale]; count = $scale } -TimeoutSec 240)
            }
        }
        Write-Step ("paging {0:N0}: {1}" -f $scale, (($names | ForEach-Object { "$_ {0:N0} ms" -f (Get-Spread ($paging["$scale/$_"] | ForEach-Object { $_.ms })).median }) -join ', '))
    }

    $bulkContenders = [ordered]@{ raw = @('plain', 'bulk-raw'); parallel = @('plain', 'bulk-parallel') }
    foreach ($name in $builds.Keys) { $bulkContenders[$(if ($name -eq 'after') { 'module' } else { "module@$name" })] = @($name, 'bulk-module') }
    foreach ($name in $builds.Keys) { $bulkContenders[$(if ($name -eq 'after') { 'journal' } else { "journal@$name" })] = @($name, 'bulk-journal') }
    function Invoke-Bulk([string] $Contender, [int] $Rows, [string] $Prefix) {
        $worker, $operation = $bulkContenders[$Contender]
        $null = Invoke-BenchWorker $workers[$worker] bulk-rows @{ rows = $Rows; prefix = $Prefix }
        Invoke-BenchWorker $workers[$worker] $operation @{ rows = $Rows; throttle = $throttle } -TimeoutSec 900
    }

    # The journal's cost when the API answers at once: New-FinqLink with and without -JournalPath, no injected latency.
    $journalRuns = [ordered]@{}
    $journalNames = @($bulkContenders.Keys | Where-Object { $_ -like 'module*' -or $_ -like 'journal*' })
    foreach ($contender in $journalNames) { $null = Invoke-Bulk $contender 1000 "jwarm-$contender" }
    foreach ($rows in $journalRows) {
        for ($round = 0; $round -lt $journalRepeats[$rows]; $round++) {
            foreach ($contender in (Get-Rotated $journalNames $round)) {
                $run = Invoke-Bulk $contender $rows "j$contender-$rows-$round"
                if ($run.count -ne $rows) { throw "$contender created $($run.count) links of $rows." }
                $key = "$rows/$contender"
                if (-not $journalRuns.Contains($key)) { $journalRuns[$key] = [Collections.Generic.List[object]]::new() }
                $journalRuns[$key].Add($run)
            }
        }
        Write-Step ("journal {0:N0} rows: {1}" -f $rows, (($journalNames | ForEach-Object { "$_ {0:N0} ms" -f (Get-Spread ($journalRuns["$rows/$_"] | ForEach-Object { $_.ms })).median }) -join ', '))
    }

    # Bulk creation at 50 ms per create.
    Invoke-FinqLinkSandbox SetFaults -Fault "links/create:latency=$latencyMs" -Sandbox $sandbox | Out-Null
    $bulk = [ordered]@{}
    foreach ($name in @($bulkContenders.Keys | Where-Object { $_ -like 'journal*' })) { $bulkContenders.Remove($name) }
    foreach ($contender in $bulkContenders.Keys) { $null = Invoke-Bulk $contender 50 "warm-$contender" }
    foreach ($rows in $bulkRows) {
        $names = @($bulkContenders.Keys)
        for ($round = 0; $round -lt $bulkRepeats[$rows]; $round++) {
            foreach ($contender in (Get-Rotated $names $round)) {
                $run = Invoke-Bulk $contender $rows "$contender-$rows-$round"
                if ($run.count -ne $rows) { throw "$contender created $($run.count) links of $rows." }
                $key = "$rows/$contender"
                if (-not $bulk.Contains($key)) { $bulk[$key] = [Collections.Generic.List[object]]::new() }
                $bulk[$key].Add($run)
            }
        }
        Write-Step ("bulk {0:N0} links: {1}" -f $rows, (($names | ForEach-Object { "$_ {0:N0} ms" -f (Get-Spread ($bulk["$rows/$_"] | ForEach-Object { $_.ms })).median }) -join ', '))
    }
    Invoke-FinqLinkSandbox ClearFaults -Sandbox $sandbox | Out-Null

    # Webhooks: a genuine delivery captured from the sandbox, verified with each session's cached JWKS.
    $webhook = Get-SignedWebhook -Sandbox $sandbox
    $webhookRuns = [ordered]@{}
    foreach ($name in $builds.Keys) { $null = Invoke-BenchWorker $workers[$name] webhook ($webhook + @{ count = 3000 }) }
    for ($round = 0; $round -lt 5; $round++) {
        foreach ($name in @($builds.Keys)) {
            if (-not $webhookRuns.Contains($name)) { $webhookRuns[$name] = [Collections.Generic.List[object]]::new() }
            $webhookRuns[$name].Add((Invoke-BenchWorker $workers[$name] webhook ($webhook + @{ count = 3000 })))
        }
    }
    Write-Step 'webhook verifications measured'
    foreach ($worker in $workers.Values) { Stop-BenchWorker $worker }

    # The journal's memory per row: fresh processes, an aggressive collection at the last row (bench/README.md, "The journal's memory").
    $journalMemory = [ordered]@{}
    foreach ($name in $builds.Keys) { $journalMemory[$name] = Measure-JournalMemory -Module $builds[$name] -BaseUri $base -Rows $journalRows -Rounds $journalMemoryRounds }
    Write-Step ("journal memory: " + (($journalRows | ForEach-Object { "{0:N0} rows +{1:N0} B/row heap, +{2:N0} B/row working set" -f $_, $journalMemory['after']["$_"].journal_heap_b_per_row, $journalMemory['after']["$_"].journal_ws_b_per_row }) -join '; '))
    Add-LoadAverage 'end'
}
finally {
    foreach ($worker in $workers.Values) { Stop-BenchWorker $worker }
    Stop-FinqLinkSandbox -Sandbox $sandbox -ErrorAction SilentlyContinue
}

$results = New-BenchResults -Build $build -Builds $builds -Scales $scales -Paging $paging -Bulk $bulk -BulkRows $bulkRows `
    -LatencyMs $latencyMs -Throttle $throttle -Webhook $webhookRuns -Fresh $freshRuns -Journal $journalRuns -JournalRows $journalRows -JournalMemory $journalMemory `
    -Quick:$Quick -Seconds $started.Elapsed.TotalSeconds -LoadAverage $loadAverage
New-Item -ItemType Directory -Force (Split-Path $OutFile) | Out-Null
$results | ConvertTo-Json -Depth 10 | Set-Content -LiteralPath $OutFile -Encoding utf8NoBOM
Write-Host ''
Write-Host (Format-BenchTable $results)
Write-Host "Written to $OutFile in $([Math]::Round($started.Elapsed.TotalSeconds)) s."
if (-not $NoReadme) {
    & (Join-Path $PSScriptRoot 'Update-ReadmePerformance.ps1') -ResultsPath $OutFile
}
