#Requires -Version 7.4
<#
.SYNOPSIS
    An independent re-measure of the bench's rows, written from bench/README.md alone (not from the harness's code).
.DESCRIPTION
    Measures this tree's built module (out/) against the same contenders as the bench, with its own process handling:
    warm contenders are pwsh children that evaluate script text sent to them one line at a time; fresh runs are new pwsh
    processes. Writes a result file with the same row names as the bench's, for bench/verify/Compare-Results.ps1.
    Expects the build done (dotnet build FinqLink.sln -c Release; dotnet build bench/FinqLink.Bench -c Release).
.EXAMPLE
    dotnet pwsh ./bench/verify/Invoke-Verification.ps1 -Quick -OutFile /tmp/verify.json
#>
[CmdletBinding()]
param(
    [switch] $Quick,
    [string] $OutFile = (Join-Path $PSScriptRoot '../results/verify.json')
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$ProgressPreference = 'SilentlyContinue'
$repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$version = ([xml](Get-Content (Join-Path $repo 'Directory.Build.props') -Raw)).Project.PropertyGroup.FinqLinkVersion | Where-Object { $_ } | Select-Object -First 1
$psd1 = Join-Path $repo "out/FinqLink/$version/FinqLink.psd1"
$helper = Join-Path $repo 'bench/FinqLink.Bench/bin/Release/net10.0/FinqLink.Bench.dll'
$pwshDll = Join-Path $PSHOME 'pwsh.dll'
$dotnet = [Environment]::ProcessPath
$load = [Collections.Generic.List[string]]::new()
function Note-Load([string] $At) { $load.Add("$At $(((Get-Content /proc/loadavg -Raw) -split ' ')[0..2] -join ' ')"); Write-Host "$(Get-Date -Format HH:mm:ss) $At (load $($load[-1].Split(' ')[-3]))" }
function Median([double[]] $v) { $s = @($v | Sort-Object); $m = [int][Math]::Floor($s.Count / 2); if ($s.Count % 2) { $s[$m] } else { ($s[$m - 1] + $s[$m]) / 2 } }
# Order of contenders in round r: start at r, wrap around.
function Rotate([string[]] $list, [int] $r) { $k = $r % $list.Count; @($list[$k..($list.Count - 1)]) + @(if ($k) { $list[0..($k - 1)] }) }

function New-Info([string[]] $Arguments) {
    $info = [Diagnostics.ProcessStartInfo]::new($dotnet)
    foreach ($a in @($pwshDll, '-NoProfile', '-NonInteractive') + $Arguments) { $info.ArgumentList.Add($a) }
    $info.RedirectStandardOutput = $true; $info.RedirectStandardError = $true; $info.UseShellExecute = $false
    $info.Environment['POWERSHELL_TELEMETRY_OPTOUT'] = '1'; $info.Environment['POWERSHELL_UPDATECHECK'] = 'Off'
    $info
}

# A warm child: reads one line of base64 script text at a time, runs it with a stopwatch around it, answers one line.
$childLoop = @'
$ProgressPreference = 'SilentlyContinue'; $ErrorActionPreference = 'Stop'
while ($null -ne ($line = [Console]::ReadLine())) {
    try {
        $text = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($line))
        $parts = $text -split "`n#WORK`n", 2
        if ($parts.Count -eq 2) { . ([scriptblock]::Create($parts[0])) }
        $w = [Diagnostics.Stopwatch]::StartNew()
        $out = . ([scriptblock]::Create($parts[-1]))
        [Console]::WriteLine("OK $($w.Elapsed.TotalMilliseconds) $(@($out)[-1])")
    } catch { [Console]::WriteLine("FAIL $($_.Exception.Message -replace '\s+', ' ')") }
}
'@
function Start-Child([string] $Init) {
    $info = New-Info @('-Command', $childLoop)
    $info.RedirectStandardInput = $true
    $p = [Diagnostics.Process]::Start($info)
    $child = [pscustomobject]@{ P = $p }
    if ($Init) { $null = Send $child $Init }
    $child
}
# Runs $Work (after untimed $Setup) in the child; returns @{ ms; value; ws_mb } (ws_mb: highest working set minus before).
function Send($Child, [string] $Work, [string] $Setup = '', [int] $TimeoutSec = 900) {
    $p = $Child.P; $p.Refresh(); $ws0 = $p.WorkingSet64; $top = $ws0
    $text = if ($Setup) { "$Setup`n#WORK`n$Work" } else { $Work }
    $p.StandardInput.WriteLine([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($text))); $p.StandardInput.Flush()
    $pending = $p.StandardOutput.ReadLineAsync(); $until = (Get-Date).AddSeconds($TimeoutSec)
    while (-not $pending.Wait(50)) {
        $p.Refresh(); if (-not $p.HasExited) { $top = [Math]::Max($top, $p.WorkingSet64) }
        if ((Get-Date) -gt $until) { $p.Kill($true); throw "Timed out: $Work" }
    }
    $answer = $pending.Result
    if ($null -eq $answer -or -not $answer.StartsWith('OK ')) { throw "Child failed on '$Work': $answer $(if ($p.HasExited) { $p.StandardError.ReadToEnd() })" }
    $ms, $value = $answer.Substring(3).Split(' ', 2)
    @{ ms = [double]$ms; value = $value; ws_mb = ($top - $ws0) / 1MB }
}
function Stop-Child($Child) { if (-not $Child.P.HasExited) { $Child.P.StandardInput.Close(); if (-not $Child.P.WaitForExit(10000)) { $Child.P.Kill($true) } } }

# A fresh pwsh: returns @{ wall; inside (the JSON it printed) }.
function Invoke-Fresh([string] $Text, [string] $Cache) {
    $info = New-Info @('-Command', $Text)
    $info.Environment['XDG_CACHE_HOME'] = $Cache
    $w = [Diagnostics.Stopwatch]::StartNew()
    $p = [Diagnostics.Process]::Start($info)
    $o = $p.StandardOutput.ReadToEndAsync(); $e = $p.StandardError.ReadToEndAsync()
    if (-not $p.WaitForExit(300000)) { $p.Kill($true); throw "Fresh pwsh timed out: $Text" }
    $p.WaitForExit(); $wall = $w.Elapsed.TotalMilliseconds
    if ($p.ExitCode) { throw "Fresh pwsh failed: $($e.Result) $($o.Result)" }
    @{ wall = $wall; inside = (@($o.Result.Trim() -split "`n")[-1] | ConvertFrom-Json) }
}

$rows = [ordered]@{}
function Row([string] $Name, [string] $Unit, [double] $Value) { $rows[$Name] = @{ unit = $Unit; value = $Value } }

Import-Module $psd1
$sandbox = Start-FinqLinkSandbox -Path (Join-Path $repo 'out/sandbox/FinqLink.Sandbox.dll') -JobStepDelayMs 10 -BankStepDelayMs 10 -JobCooldownSec 0 -TimeoutSec 60
$children = @()
try {
    $sandbox | Connect-FinqLink
    $base = $sandbox.BaseUri.ToString().TrimEnd('/')
    Note-Load 'sandbox up'
    $sizes = if ($Quick) { 10000, 100000 } else { 10000, 100000, 1000000 }
    $consent = @{}
    foreach ($size in $sizes) {
        Invoke-FinqLinkSandbox SetSettings -Body @{ transactions_per_consent = $size } -Sandbox $sandbox | Out-Null
        $c = New-FinqConsent -ProviderId bt_ro
        Invoke-FinqLinkSandbox ApproveConsent -Id $c.ConsentId -ProviderId bt_ro -Sandbox $sandbox | Out-Null
        $null = Wait-FinqConsent -ConsentId $c.ConsentId -PollIntervalSec 0.05 -TimeoutSec 30
        $consent[$size] = $c.ConsentId
    }

    $connect = "Connect-FinqLink -BaseUri '$base' -ClientId demo -ClientSecret (ConvertTo-SecureString demo-secret -AsPlainText -Force)"
    # Fresh processes, first (bench/README.md): before any child starts, with only the consents in the sandbox.
    $timed = { param($setup, $work) "`$ProgressPreference = 'SilentlyContinue'; $setup; `$j0 = [System.Runtime.JitInfo]::GetCompiledMethodCount(`$false); `$w = [Diagnostics.Stopwatch]::StartNew(); $work; @{ ms = `$w.Elapsed.TotalMilliseconds; jit_methods = [System.Runtime.JitInfo]::GetCompiledMethodCount(`$false) - `$j0 } | ConvertTo-Json -Compress" }
    $body = '{"client_id":"demo","client_secret":"demo-secret","consent_id":"' + $consent[10000] + '","pagination":{"limit":1}}'
    $listTen = { param($setup, $one) "`$ProgressPreference = 'SilentlyContinue'; $setup; `$t = @(); for (`$i = 0; `$i -lt 10; `$i++) { `$w = [Diagnostics.Stopwatch]::StartNew(); `$n = $one; if (`$n -ne 100000) { throw `"`$n`" }; `$t += `$w.Elapsed.TotalMilliseconds }; @{ ms = `$t[0]; all = `$t } | ConvertTo-Json -Compress" }
    $emptyFolder = New-Item -ItemType Directory -Force (Join-Path ([IO.Path]::GetTempPath()) "finqlink-verify-empty-$PID")
    Set-Content (Join-Path $emptyFolder 'E.psm1') ''
    Set-Content (Join-Path $emptyFolder 'E.psd1') "@{ RootModule = 'E.psm1'; ModuleVersion = '1.0'; FunctionsToExport = @(); CmdletsToExport = @(); VariablesToExport = @(); AliasesToExport = @() }"
    $fresh = [ordered]@{
        nothing = & $timed '' ''
        irm     = & $timed '' "`$null = Invoke-RestMethod -Method Post -Uri '$base/v2/ais/transactions/list' -Body '$body' -ContentType application/json"
        first   = & $timed '' "Import-Module '$psd1'; $connect; `$null = Get-FinqTransaction -ConsentId '$($consent[10000])' -First 1"
        firstenv = & $timed "`$env:FINQLINK_BASE_URI = '$base'; `$env:FINQLINK_CLIENT_ID = 'demo'; `$env:FINQLINK_CLIENT_SECRET = 'demo-secret'" "Import-Module '$psd1'; Connect-FinqLink; `$null = Get-FinqTransaction -ConsentId '$($consent[10000])' -First 1"
        import  = & $timed '' "Import-Module '$psd1'; `$null = Get-FinqSession -ErrorAction SilentlyContinue"
        empty   = & $timed '' "Import-Module '$(Join-Path $emptyFolder 'E.psd1')'"
        tenmod  = & $listTen "Import-Module '$psd1'; $connect" "(Get-FinqTransaction -ConsentId '$($consent[100000])' | Measure-Object).Count"
        tenraw  = & $listTen "Import-Module '$helper'; [FinqLink.Bench.GetRawTransactionCommand]::Connect('$base')" "(Get-RawTransaction -BaseUri '$base' -ConsentId '$($consent[100000])' | Measure-Object).Count"
    }
    # As bench/README.md says: no build servers left, then 3 idle seconds in a row (< 10 % busy each, /proc/stat), 90 s at most.
    & dotnet build-server shutdown *> $null
    $idleSince = 0; $waitUntil = (Get-Date).AddSeconds(90)
    while ($idleSince -lt 3 -and (Get-Date) -lt $waitUntil) {
        $a = @((Get-Content /proc/stat -TotalCount 1) -split '\s+' | Select-Object -Skip 1 -First 8 | ForEach-Object { [double]$_ })
        Start-Sleep -Seconds 1
        $b = @((Get-Content /proc/stat -TotalCount 1) -split '\s+' | Select-Object -Skip 1 -First 8 | ForEach-Object { [double]$_ })
        $all = ($b | Measure-Object -Sum).Sum - ($a | Measure-Object -Sum).Sum
        $busy = 1 - (($b[3] + $b[4]) - ($a[3] + $a[4])) / [Math]::Max($all, 1)
        $idleSince = if ($busy -lt 0.1) { $idleSince + 1 } else { 0 }
    }
    Note-Load "idle $($idleSince -ge 3)"
    $caches = Join-Path ([IO.Path]::GetTempPath()) "finqlink-verify-cache-$PID"
    foreach ($k in $fresh.Keys) { $null = Invoke-Fresh $fresh[$k] (Join-Path $caches $k) }
    $f = @{}
    $freshRounds = if ($Quick) { 3 } else { 11 }
    for ($r = 0; $r -lt $freshRounds; $r++) {
        foreach ($k in (Rotate @($fresh.Keys) $r)) { $m = Invoke-Fresh $fresh[$k] (Join-Path $caches $k); $f["$k/wall"] += @($m.wall); $f["$k/in"] += @($m.inside.ms); if ($m.inside.PSObject.Properties['all']) { $f["$k/all"] += , @($m.inside.all) } }
    }
    Note-Load 'fresh'
    foreach ($n in 1, 2, 10) {
        $modN = Median @($f['tenmod/all'] | ForEach-Object { $_[$n - 1] }); $rawN = Median @($f['tenraw/all'] | ForEach-Object { $_[$n - 1] })
        Row "Get-FinqTransaction in a fresh pwsh, listing $n of 100k: time / the raw typed cmdlet's listing $n" 'x' ($modN / $rawN)
        Row "Get-FinqTransaction in a fresh pwsh, listing $n of 100k" 'ms' $modN
        Row "Raw typed cmdlet (prefetching) in a fresh pwsh, listing $n of 100k" 'ms' $rawN
    }
    Row 'First call (import + connect + one request), fresh pwsh, timed inside: time / one Invoke-RestMethod''s' 'x' ((Median $f['first/in']) / (Median $f['irm/in']))
    Row 'First call, process wall time of the fresh pwsh: / one Invoke-RestMethod''s' 'x' ((Median $f['first/wall']) / (Median $f['irm/wall']))
    Row 'First call, secret from FINQLINK_* variables (a runbook''s), timed inside: time / one Invoke-RestMethod''s' 'x' ((Median $f['firstenv/in']) / (Median $f['irm/in']))
    Row 'First call, secret from FINQLINK_* variables, process wall time of the fresh pwsh: / one Invoke-RestMethod''s' 'x' ((Median $f['firstenv/wall']) / (Median $f['irm/wall']))
    Row 'First call: import + connect + one request, fresh pwsh (timed inside)' 'ms' (Median $f['first/in'])
    Row 'First call: process wall time of the fresh pwsh' 'ms' (Median $f['first/wall'])
    Row 'Import-Module + Get-FinqSession in a fresh pwsh (timed inside)' 'ms' (Median $f['import/in'])
    Row 'Import-Module + Get-FinqSession: process wall time of the fresh pwsh' 'ms' (Median $f['import/wall'])
    Row 'First call: one Invoke-RestMethod, fresh pwsh (timed inside)' 'ms' (Median $f['irm/in'])
    Row 'First call: one Invoke-RestMethod, process wall time of the fresh pwsh' 'ms' (Median $f['irm/wall'])
    Row 'Import-Module of an empty manifest module in a fresh pwsh (timed inside)' 'ms' (Median $f['empty/in'])
    Row 'Import-Module of an empty manifest module: process wall time of the fresh pwsh' 'ms' (Median $f['empty/wall'])
    Row 'A pwsh doing nothing: process wall time' 'ms' (Median $f['nothing/wall'])
    Remove-Item -Recurse -Force $caches, $emptyFolder -ErrorAction Ignore

    $plain = Start-Child "Import-Module '$helper'; `$raw = [FinqLink.Bench.RawTransactionLoop]::new('$base'); `$links = [FinqLink.Bench.RawLinkCreator]::new('$base')"
    $mod = Start-Child "Import-Module '$helper'; Import-Module '$psd1'; $connect"
    $children = $plain, $mod

    # Warm paging.
    $irmLoop = "`$n = 0; `$after = `$null; do { `$page = Invoke-RestMethod -Method Post -Uri '$base/v2/ais/transactions/list' -ContentType 'application/json' -Body (@{ client_id = 'demo'; client_secret = 'demo-secret'; consent_id = '{C}'; pagination = @{ limit = 250; after = `$after } } | ConvertTo-Json -Compress); `$n += @(`$page.transactions).Count; `$after = `$page.pagination.after } while (`$page.pagination.'more?'); `$n"
    $page = [ordered]@{
        raw      = @($plain, "`$raw.Count('{C}', 250)")
        rawtyped = @($plain, "(Get-RawTransaction -BaseUri '$base' -ConsentId '{C}' | Measure-Object).Count")
        irm      = @($plain, $irmLoop)
        module   = @($mod, "(Get-FinqTransaction -ConsentId '{C}' | Measure-Object).Count")
    }
    foreach ($size in $sizes) { $null = Send $plain ($page.raw[1] -replace '\{C\}', $consent[$size]) }
    1..8 | ForEach-Object { $null = Send $plain ($page.raw[1] -replace '\{C\}', $consent[100000]) }
    foreach ($k in $page.Keys) { foreach ($size in 10000, 100000) { if ($k -ne 'irm' -or $size -eq 10000) { $null = Send $page[$k][0] ($page[$k][1] -replace '\{C\}', $consent[$size]) } } }
    $warm = @{}
    foreach ($size in $sizes) {
        $rounds = if ($size -ge 1000000) { 5 } elseif ($Quick) { 2 } elseif ($size -eq 10000) { 15 } else { 5 }
        if ($Quick -and $size -eq 10000) { $rounds = 3 }
        for ($r = 0; $r -lt $rounds; $r++) {
            foreach ($k in (Rotate @($page.Keys) $r)) {
                if ($k -eq 'irm' -and $size -ge 1000000 -and $r -gt 0) { continue }
                $m = Send $page[$k][0] ($page[$k][1] -replace '\{C\}', $consent[$size])
                if ([long]$m.value -ne $size) { throw "$k listed $($m.value) of $size" }
                $warm["$size/$k"] += @($m.ms)
            }
        }
        Note-Load "paging $size"
    }
    foreach ($size in $sizes) {
        Row ("Get-FinqTransaction, warm: time / the raw typed cmdlet's ({0:N0})" -f $size) 'x' ((Median $warm["$size/module"]) / (Median $warm["$size/rawtyped"]))
        Row ("Get-FinqTransaction, warm: time / the raw JsonDocument loop's ({0:N0})" -f $size) 'x' ((Median $warm["$size/module"]) / (Median $warm["$size/raw"]))
    }
    Row 'Invoke-RestMethod loop: time / Get-FinqTransaction''s (100k, warm)' 'x' ((Median $warm['100000/irm']) / (Median $warm['100000/module']))

    # Journal, no latency: CSV rows made untimed in the same child, then timed.
    function Csv([int] $n, [string] $prefix) {
        "`$csv = Join-Path ([IO.Path]::GetTempPath()) 'finqlink-verify-$PID.csv'; [IO.File]::WriteAllLines(`$csv, [string[]](@('Amount,Currency,Reference') + @(1..$n | ForEach-Object { `"`$(10 + `$_ % 90).50,RON,$prefix-`$_`" })))"
    }
    $journalWork = @{
        module  = '(Import-Csv $csv | New-FinqLink | Measure-Object).Count'
        journal = '$jp = Join-Path ([IO.Path]::GetTempPath()) ([guid]::NewGuid().ToString() + ''.jsonl''); try { (Import-Csv $csv | New-FinqLink -JournalPath $jp | Measure-Object).Count } finally { Remove-Item $jp -ErrorAction Ignore }'
    }
    foreach ($k in 'module', 'journal') { $null = Send $mod $journalWork[$k] -Setup (Csv 1000 "vjw$k") }
    $journalSizes = 10000, 100000
    foreach ($n in $journalSizes) {
        $j = @{ module = @(); journal = @() }
        $rounds = if ($n -ge 100000) { if ($Quick) { 1 } else { 4 } } elseif ($Quick) { 2 } else { 7 }
        for ($r = 0; $r -lt $rounds; $r++) {
            foreach ($k in (Rotate @('module', 'journal') $r)) {
                $m = Send $mod $journalWork[$k] -Setup (Csv $n "vj$k$n-$r")
                if ([long]$m.value -ne $n) { throw "$k made $($m.value) of $n" }
                $j[$k] += $m.ms
            }
        }
        Row ("New-FinqLink -JournalPath, no latency: rate / the same run's without a journal ({0:N0} rows)" -f $n) 'share' ((Median $j.module) / (Median $j.journal))
        Row ("New-FinqLink without a journal, no latency: rows per second ({0:N0} rows)" -f $n) '/s' ($n / (Median $j.module) * 1000)
        Note-Load "journal $n"
    }

    # Journal memory: a fresh pwsh per run; the heap and the working set after an aggressive collection, before the run and at its last outcome.
    $memDir = Join-Path ([IO.Path]::GetTempPath()) "finqlink-verify-mem-$PID"
    New-Item -ItemType Directory -Force $memDir | Out-Null
    function MemoryRun([int] $n, [bool] $journaled) {
        $tag = "vm$n-$journaled-$([guid]::NewGuid().ToString('N').Substring(0, 6))"
        foreach ($file in @(@("$tag.csv", $n), @("$tag-warm.csv", 1000))) {
            [IO.File]::WriteAllLines((Join-Path $memDir $file[0]), [string[]](@('Amount,Currency,Reference') + @(1..$file[1] | ForEach-Object { "$(10 + $_ % 90).50,RON,$($file[0])-$_" })))
        }
        $with = if ($journaled) { " -JournalPath '$memDir/$tag.jsonl'" } else { '' }
        $withWarm = if ($journaled) { " -JournalPath '$memDir/$tag-warm.jsonl'" } else { '' }
        $text = "Import-Module '$psd1'; $connect; Import-Csv '$memDir/$tag-warm.csv' | New-FinqLink$withWarm | Out-Null; `$p = [Diagnostics.Process]::GetCurrentProcess(); `$read = { [GC]::Collect(2, [GCCollectionMode]::Aggressive, `$true, `$true); `$p.Refresh(); @{ h = [GC]::GetTotalMemory(`$false); w = `$p.WorkingSet64 } }; `$before = & `$read; `$i = 0; `$at = `$null; Import-Csv '$memDir/$tag.csv' | New-FinqLink$with | ForEach-Object { `$i++; if (`$i -eq $n) { `$at = & `$read } }; @{ heap = (`$at.h - `$before.h) / $n; ws = (`$at.w - `$before.w) / $n } | ConvertTo-Json -Compress"
        (Invoke-Fresh $text $memDir).inside
    }
    $memoryRounds = if ($Quick) { 1 } else { 5 }
    foreach ($n in $journalSizes) {
        $none = @(); $journaled = @()
        for ($r = 0; $r -lt $memoryRounds; $r++) {
            if ($r % 2) { $journaled += MemoryRun $n $true; $none += MemoryRun $n $false } else { $none += MemoryRun $n $false; $journaled += MemoryRun $n $true }
        }
        Row ("New-FinqLink -JournalPath: managed heap kept per row beyond the run without a journal, fresh pwsh ({0:N0} rows)" -f $n) 'B' ((Median $journaled.heap) - (Median $none.heap))
        if ($n -ge 100000) { Row ("New-FinqLink -JournalPath: working set kept per row beyond the run without a journal, fresh pwsh ({0:N0} rows)" -f $n) 'B' ((Median $journaled.ws) - (Median $none.ws)) }
        Note-Load "journal memory $n"
    }
    Remove-Item -Recurse -Force $memDir -ErrorAction Ignore

    # Bulk at 50 ms.
    Invoke-FinqLinkSandbox SetFaults -Fault 'links/create:latency=50' -Sandbox $sandbox | Out-Null
    $bulkWork = [ordered]@{
        raw      = @($plain, '$links.Create({N}, 16)')
        parallel = @($plain, "(Import-Csv `$csv | ForEach-Object -ThrottleLimit 16 -Parallel { `$body = @{ client_id = 'demo'; client_secret = 'demo-secret'; single_transfer = @{ amount = `$_.Amount; currency = `$_.Currency } } | ConvertTo-Json; Invoke-RestMethod -Method Post -Uri '$base/v2/links/create' -Body `$body -ContentType 'application/json' } | Measure-Object).Count")
        module   = @($mod, '(Import-Csv $csv | New-FinqLink | Measure-Object).Count')
    }
    foreach ($k in $bulkWork.Keys) { $null = Send $bulkWork[$k][0] ($bulkWork[$k][1] -replace '\{N\}', 50) -Setup (Csv 50 "vbw$k") }
    $linkSizes = if ($Quick) { 100, 1000 } else { 100, 1000, 5000 }
    $bulk = @{}
    foreach ($n in $linkSizes) {
        $rounds = if ($n -ge 5000) { 2 } elseif ($Quick -and $n -eq 1000) { 1 } elseif ($Quick) { 2 } elseif ($n -eq 100) { 7 } else { 3 }
        for ($r = 0; $r -lt $rounds; $r++) {
            foreach ($k in (Rotate @($bulkWork.Keys) $r)) {
                $m = Send $bulkWork[$k][0] ($bulkWork[$k][1] -replace '\{N\}', $n) -Setup (Csv $n "vb$k$n-$r")
                if ([long]$m.value -ne $n) { throw "$k made $($m.value) of $n" }
                $bulk["$n/$k"] += @($m.ms); $bulk["$n/${k}_ws"] += @($m.ws_mb)
            }
        }
        $ceiling = $n * 50 / 16
        Row ("New-FinqLink, {0:N0} links at 50 ms: share of the ceiling (throttle 16)" -f $n) 'share' ($ceiling / (Median $bulk["$n/module"]))
        Row ("New-FinqLink, {0:N0} links: time of the raw HttpClient's / its own (share of the practical limit)" -f $n) 'share' ((Median $bulk["$n/raw"]) / (Median $bulk["$n/module"]))
        Row ("Import-Csv | ForEach-Object -Parallel IRM, {0:N0} links: share of the ceiling" -f $n) 'share' ($ceiling / (Median $bulk["$n/parallel"]))
        Row ("Raw HttpClient, 16 tasks, {0:N0} links: share of the ceiling (practical limit)" -f $n) 'share' ($ceiling / (Median $bulk["$n/raw"]))
        Note-Load "bulk $n"
    }
    Invoke-FinqLinkSandbox ClearFaults -Sandbox $sandbox | Out-Null

    # Webhooks: one the sandbox really signs and delivers to a loopback listener, verified in the module's child.
    # A port the system says is free now (a random one collided with a port in use once).
    $probe = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0); $probe.Start(); $port = $probe.LocalEndpoint.Port; $probe.Stop()
    $listener = [Net.HttpListener]::new(); $listener.Prefixes.Add("http://127.0.0.1:$port/"); $listener.Start()
    try {
        $arrival = $listener.GetContextAsync()
        $made = [pscustomobject]@{ Amount = 2; Currency = 'RON' } | New-FinqLink
        $null = Invoke-FinqLinkSandbox TriggerWebhook -Sandbox $sandbox -Body @{ type = 'link_status_update'; id = $made.LinkId; status = 'completed'; url = "http://127.0.0.1:$port/hook" }
        if (-not $arrival.Wait(30000)) { throw 'No webhook arrived.' }
        $ctx = $arrival.Result
        $hookBody = [IO.StreamReader]::new($ctx.Request.InputStream).ReadToEnd()
        $sig = $ctx.Request.Headers['x-signature']; $kid = $ctx.Request.Headers['x-signature-kid']
        $ctx.Response.StatusCode = 204; $ctx.Response.Close()
    }
    finally { $listener.Stop() }
    $b64 = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($hookBody))
    # One script block, defined once in the child and run for every round, as bench/README.md says.
    $null = Send $mod "`$global:verifyHooks = { param(`$n) `$hb = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('$b64')); `$sig = '$sig'; `$kid = '$kid'; `$ok = 0; for (`$i = 0; `$i -lt `$n; `$i++) { if (Test-FinqWebhookSignature -Body `$hb -Signature `$sig -KeyId `$kid) { `$ok++ } }; `$ok }; 0"
    $null = Send $mod '& $verifyHooks 3000'
    $hooks = foreach ($r in 1..5) { $m = Send $mod '& $verifyHooks 3000'; if ([int]$m.value -ne 3000) { throw "Only $($m.value) of 3000 verified." }; $m.ms }
    Row 'Test-FinqWebhookSignature per second (cached JWKS)' '/s' (3000 / (Median $hooks) * 1000)
    foreach ($c in $children) { Stop-Child $c }

    Remove-Item -Recurse -Force (Join-Path ([IO.Path]::GetTempPath()) "finqlink-verify-$PID.csv") -ErrorAction Ignore
}
finally {
    foreach ($c in $children) { Stop-Child $c }
    Stop-FinqLinkSandbox -Sandbox $sandbox -ErrorAction SilentlyContinue
}
New-Item -ItemType Directory -Force (Split-Path $OutFile) | Out-Null
[ordered]@{ measured_at = [DateTimeOffset]::UtcNow.ToString('u'); load_average = @($load); rows = $rows } | ConvertTo-Json -Depth 5 | Set-Content $OutFile
$rows.Keys | ForEach-Object { '{0,-110} {1,12:N3} {2}' -f $_, $rows[$_].value, $rows[$_].unit }
