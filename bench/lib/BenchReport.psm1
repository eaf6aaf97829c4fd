# The bench's results: raw runs summarised, the ratios the targets are about, the console table and the README section.
Set-StrictMode -Version Latest
Import-Module (Join-Path $PSScriptRoot 'Statistics.psm1')

function Get-Median($Runs, [string] $Field = 'ms') { (Get-Spread @($Runs | ForEach-Object { [double]$_[$Field] })).median }

function New-Row([string] $Measure, [string] $Unit, [hashtable] $Values, [string] $Target, [scriptblock] $Meets) {
    $row = [ordered]@{ measure = $Measure; unit = $Unit; target = $Target }
    foreach ($build in 'before', 'after') {
        if ($Values.ContainsKey($build) -and $null -ne $Values[$build]) {
            $row[$build] = [Math]::Round([double]$Values[$build], 3)
            if ($Meets) { $row["met_$build"] = [bool](& $Meets $Values[$build]) }
        }
    }
    $row
}

# A figure of a contender without the module (raw loops, Invoke-RestMethod, ForEach-Object -Parallel): one value per run.
function New-Shared([string] $Measure, [string] $Unit, [double] $Value) {
    [ordered]@{ measure = $Measure; unit = $Unit; target = ''; shared = $true; after = [Math]::Round($Value, 3) }
}

function New-BenchResults($Build, $Builds, [int[]] $Scales, $Paging, $Bulk, [int[]] $BulkRows, [int] $LatencyMs, [int] $Throttle,
    $Webhook, $Fresh, $Journal, [int[]] $JournalRows, $JournalMemory, [switch] $Quick, [double] $Seconds, [string[]] $LoadAverage) {
    $suffix = @{ after = ''; before = '@before' }
    $buildNames = @($Builds.Keys)
    function Per([scriptblock] $value) { $values = @{}; foreach ($b in $buildNames) { $values[$b] = & $value $suffix[$b] $b }; $values }
    function Paged([int] $scale, [string] $contender) { $Paging["$scale/$contender"] }

    $freshSummary = [ordered]@{}
    foreach ($name in $Fresh.Keys) {
        $freshSummary[$name] = [ordered]@{
            wall_ms     = Get-Spread @($Fresh[$name] | ForEach-Object { $_.wall_ms })
            ms          = Get-Spread @($Fresh[$name] | ForEach-Object { $_.ms })
            jit_methods = Get-Spread @($Fresh[$name] | ForEach-Object { if ($_.Contains('jit_methods')) { $_.jit_methods } else { 0 } })
        }
        # A series of listings in one process: the spread of each listing's time over the processes.
        if ($Fresh[$name][0].Contains('listings')) {
            $count = @($Fresh[$name][0].listings).Count
            $freshSummary[$name]['listings'] = @(0..($count - 1) | ForEach-Object { $n = $_; Get-Spread @($Fresh[$name] | ForEach-Object { @($_.listings)[$n] }) })
        }
    }
    $rows = [Collections.Generic.List[object]]::new()
    $largest = $Scales[-1]
    $rawMs = @{}; foreach ($scale in $Scales) { $rawMs[$scale] = Get-Median (Paged $scale 'raw') }

    # Listings in a fresh pwsh: the module's nth against the prefetching typed raw cmdlet's nth, each in its own process.
    function Listing([string] $name, [int] $n) { $freshSummary[$name].listings[$n - 1].median }
    foreach ($pair in @(@(1, 1.25), @(2, 1.2), @(10, 1.1))) {
        $n, $target = $pair
        $rows.Add((New-Row "Get-FinqTransaction in a fresh pwsh, listing $n of 100k: time / the raw typed cmdlet's listing $n" 'x' (Per { param($s, $b) (Listing "series@$b" $n) / (Listing 'series-raw' $n) }) "<= $target" $(if ($target) { [scriptblock]::Create("param(`$v) `$v -le $target") })))
    }
    foreach ($n in 1, 2, 10) {
        $rows.Add((New-Row "Get-FinqTransaction in a fresh pwsh, listing $n of 100k" 'ms' (Per { param($s, $b) Listing "series@$b" $n }) '' $null))
        $rows.Add((New-Shared "Raw typed cmdlet (prefetching) in a fresh pwsh, listing $n of 100k" 'ms' (Listing 'series-raw' $n)))
    }
    $rawTypedMs = @{}; foreach ($scale in $Scales) { $rawTypedMs[$scale] = Get-Median (Paged $scale 'rawtyped') }
    foreach ($scale in $Scales) {
        $target = if ($scale -ge 100000) { '<= 1.1' } else { '' }
        $rows.Add((New-Row ("Get-FinqTransaction, warm: time / the raw typed cmdlet's ({0:N0})" -f $scale) 'x' (Per { param($s) (Get-Median (Paged $scale "module$s")) / $rawTypedMs[$scale] }) $target $(if ($target) { { param($v) $v -le 1.1 } })))
    }
    foreach ($scale in $Scales) {
        $rows.Add((New-Row ("Get-FinqTransaction, warm: time / the raw JsonDocument loop's ({0:N0})" -f $scale) 'x' (Per { param($s) (Get-Median (Paged $scale "module$s")) / $rawMs[$scale] }) '' $null))
    }
    $rows.Add((New-Row 'Invoke-RestMethod loop: time / Get-FinqTransaction''s (100k, warm)' 'x' (Per { param($s) (Get-Median (Paged 100000 'irm')) / (Get-Median (Paged 100000 "module$s")) }) '>= 5' { param($v) $v -ge 5 }))
    foreach ($scale in 100000, $largest | Select-Object -Unique) {
        $rows.Add((New-Row ("Core alone: rate / raw loop's ({0:N0})" -f $scale) 'x' (Per { param($s) $rawMs[$scale] / (Get-Median (Paged $scale "core$s")) }) '>= 0.9' { param($v) $v -ge 0.9 }))
        $rows.Add((New-Row ("Core alone: allocated / raw loop's ({0:N0})" -f $scale) 'x' (Per { param($s) (Get-Median (Paged $scale "core$s") 'allocated_mb') / (Get-Median (Paged $scale 'raw') 'allocated_mb') }) '<= 1.5' { param($v) $v -le 1.5 }))
        $rows.Add((New-Row ("Core alone: gen2 collections ({0:N0})" -f $scale) 'count' (Per { param($s) Get-Median (Paged $scale "core$s") 'gen2' }) '' $null))
    }
    $rows.Add((New-Shared "Raw loop, warm (100k)" 'ms' $rawMs[100000]))
    $rows.Add((New-Shared "PowerShell's own pass, warm: the same cmdlet writing a transaction 100k times" 'ms' (Get-Median (Paged 100000 'floor'))))
    # A ratio, not a difference of two medians, which noise made negative: below 1 when the pipeline's work hides behind
    # the next page's fetch, which Core alone waits for too.
    $rows.Add((New-Row ("Get-FinqTransaction, warm: time / Core alone's ({0:N0})" -f $largest) 'x' (Per { param($s)
                (Get-Median (Paged $largest "module$s")) / (Get-Median (Paged $largest "core$s")) }) '' $null))
    $rows.Add((New-Row ("PowerShell's own pipeline cost per item: a compiled cmdlet into Measure-Object ({0:N0})" -f $largest) 'µs' (Per { param($s)
                (Get-Median (Paged $largest 'floor')) * 1000 / $largest }) '' $null))
    $rows.Add((New-Row "Transactions per second, Get-FinqTransaction ($('{0:N0}' -f $largest), warm)" '/s' (Per { param($s) $largest / (Get-Median (Paged $largest "module$s")) * 1000 }) '' $null))
    $rows.Add((New-Shared "Transactions per second, raw JsonDocument loop ($('{0:N0}' -f $largest))" '/s' ($largest / $rawMs[$largest] * 1000)))
    $rows.Add((New-Shared "Transactions per second, raw typed cmdlet into Measure-Object ($('{0:N0}' -f $largest); physical limit)" '/s' ($largest / $rawTypedMs[$largest] * 1000)))
    $rows.Add((New-Shared "Transactions per second, Invoke-RestMethod loop ($('{0:N0}' -f $largest))" '/s' ($largest / (Get-Median (Paged $largest 'irm')) * 1000)))

    $bulkSummary = [ordered]@{}
    foreach ($key in $Bulk.Keys) {
        $rowsCount = [int]($key -split '/')[0]
        $summary = Get-RunSummary $Bulk[$key]
        $summary['ceiling_ms'] = $rowsCount * $LatencyMs / $Throttle
        $summary['of_ceiling'] = $summary.ceiling_ms / $summary.ms.median
        $bulkSummary[$key] = $summary
    }
    foreach ($count in $BulkRows) {
        $target = if ($count -ge 1000) { '>= 98%' } else { '' }
        $rows.Add((New-Row ("New-FinqLink, {0:N0} links at {1} ms: share of the ceiling (throttle {2})" -f $count, $LatencyMs, $Throttle) 'share' (Per { param($s) $bulkSummary["$count/module$s"].of_ceiling }) $target $(if ($target) { { param($v) $v -ge 0.98 } })))
        $rows.Add((New-Row ("New-FinqLink, {0:N0} links: time of the raw HttpClient's / its own (share of the practical limit)" -f $count) 'share' (Per { param($s) $bulkSummary["$count/raw"].ms.median / $bulkSummary["$count/module$s"].ms.median }) '' $null))
        $rows.Add((New-Shared ("Import-Csv | ForEach-Object -Parallel IRM, {0:N0} links: share of the ceiling" -f $count) 'share' $bulkSummary["$count/parallel"].of_ceiling))
        $rows.Add((New-Shared ("Raw HttpClient, 16 tasks, {0:N0} links: share of the ceiling (practical limit)" -f $count) 'share' $bulkSummary["$count/raw"].of_ceiling))
    }
    $first, $last = $BulkRows[0], $BulkRows[-1]
    $rows.Add((New-Row ("New-FinqLink: peak working-set growth, {0:N0} links minus {1:N0}" -f $last, $first) 'MB' (Per { param($s) $bulkSummary["$last/module$s"].ws_growth_mb.median - $bulkSummary["$first/module$s"].ws_growth_mb.median }) '' $null))
    $rows.Add((New-Shared ("ForEach-Object -Parallel IRM: peak working-set growth, {0:N0} links minus {1:N0}" -f $last, $first) 'MB' ($bulkSummary["$last/parallel"].ws_growth_mb.median - $bulkSummary["$first/parallel"].ws_growth_mb.median)))

    $journalSummary = [ordered]@{}
    foreach ($key in $Journal.Keys) { $journalSummary[$key] = Get-RunSummary $Journal[$key] }
    foreach ($count in $JournalRows) {
        $rows.Add((New-Row ("New-FinqLink -JournalPath, no latency: rate / the same run's without a journal ({0:N0} rows)" -f $count) 'share' (Per { param($s) $journalSummary["$count/module$s"].ms.median / $journalSummary["$count/journal$s"].ms.median }) '>= 80%' { param($v) $v -ge 0.8 }))
        $rows.Add((New-Row ("New-FinqLink -JournalPath: managed heap kept per row beyond the run without a journal, fresh pwsh ({0:N0} rows)" -f $count) 'B' (Per { param($s, $b) $JournalMemory[$b]["$count"].journal_heap_b_per_row }) '' $null))
        # The working set moves by megabytes from run to run: per row, only a large run tells.
        if ($count -ge 100000) {
            $rows.Add((New-Row ("New-FinqLink -JournalPath: working set kept per row beyond the run without a journal, fresh pwsh ({0:N0} rows)" -f $count) 'B' (Per { param($s, $b) $JournalMemory[$b]["$count"].journal_ws_b_per_row }) '<= 400' { param($v) $v -le 400 }))
        }
        $rows.Add((New-Row ("New-FinqLink without a journal, no latency: rows per second ({0:N0} rows)" -f $count) '/s' (Per { param($s) $journalSummary["$count/module$s"].per_second }) '' $null))
    }

    # Process wall time, from Process.Start to exit: a whole figure, never a difference of two (which noise can make negative).
    function Wall([string] $name) { $freshSummary[$name].wall_ms.median }
    $rows.Add((New-Row 'First call (import + connect + one request), fresh pwsh, timed inside: time / one Invoke-RestMethod''s' 'x' (Per { param($s, $b) $freshSummary["first-call@$b"].ms.median / $freshSummary['irm-first-call'].ms.median }) '<= 1.5' { param($v) $v -le 1.5 }))
    $rows.Add((New-Row 'First call, process wall time of the fresh pwsh: / one Invoke-RestMethod''s' 'x' (Per { param($s, $b) (Wall "first-call@$b") / (Wall 'irm-first-call') }) '' $null))
    $rows.Add((New-Row 'First call, secret from FINQLINK_* variables (a runbook''s), timed inside: time / one Invoke-RestMethod''s' 'x' (Per { param($s, $b) $freshSummary["first-call-env@$b"].ms.median / $freshSummary['irm-first-call'].ms.median }) '<= 1.5' { param($v) $v -le 1.5 }))
    $rows.Add((New-Row 'First call, secret from FINQLINK_* variables, process wall time of the fresh pwsh: / one Invoke-RestMethod''s' 'x' (Per { param($s, $b) (Wall "first-call-env@$b") / (Wall 'irm-first-call') }) '' $null))
    $rows.Add((New-Row 'First call: import + connect + one request, fresh pwsh (timed inside)' 'ms' (Per { param($s, $b) $freshSummary["first-call@$b"].ms.median }) '' $null))
    $rows.Add((New-Row 'First call: process wall time of the fresh pwsh' 'ms' (Per { param($s, $b) Wall "first-call@$b" }) '' $null))
    $rows.Add((New-Row 'Import-Module + Get-FinqSession in a fresh pwsh (timed inside)' 'ms' (Per { param($s, $b) $freshSummary["import@$b"].ms.median }) '' $null))
    $rows.Add((New-Row 'Import-Module + Get-FinqSession: process wall time of the fresh pwsh' 'ms' (Per { param($s, $b) Wall "import@$b" }) '' $null))
    $rows.Add((New-Shared 'First call: one Invoke-RestMethod, fresh pwsh (timed inside)' 'ms' $freshSummary['irm-first-call'].ms.median))
    $rows.Add((New-Shared 'First call: one Invoke-RestMethod, process wall time of the fresh pwsh' 'ms' (Wall 'irm-first-call')))
    $rows.Add((New-Shared 'Import-Module of an empty manifest module in a fresh pwsh (timed inside)' 'ms' $freshSummary['import-empty-manifest'].ms.median))
    $rows.Add((New-Shared 'Import-Module of an empty manifest module: process wall time of the fresh pwsh' 'ms' (Wall 'import-empty-manifest')))
    $rows.Add((New-Shared 'A pwsh doing nothing: process wall time' 'ms' (Wall 'nothing')))

    $webhookSummary = [ordered]@{}
    foreach ($name in $Webhook.Keys) { $webhookSummary[$name] = Get-RunSummary $Webhook[$name] }
    $rows.Add((New-Row 'Test-FinqWebhookSignature per second (cached JWKS)' '/s' (Per { param($s, $b) $webhookSummary[$b].per_second }) '' $null))

    $pagingSummary = [ordered]@{}
    foreach ($key in $Paging.Keys) { $pagingSummary[$key] = Get-RunSummary $Paging[$key] }
    [ordered]@{
        measured_at = [DateTimeOffset]::UtcNow.ToString('u')
        duration_s  = [Math]::Round($Seconds)
        quick       = [bool]$Quick
        load_average = @($LoadAverage)
        machine     = [ordered]@{
            cores = [Environment]::ProcessorCount; os = [Runtime.InteropServices.RuntimeInformation]::OSDescription
            pwsh = $PSVersionTable.PSVersion.ToString(); dotnet = [Environment]::Version.ToString()
        }
        builds      = [ordered]@{
            after  = [ordered]@{ commit = $Build.Commit; module = $Build.Module }
            before = if ($Build.BaselineModule) { [ordered]@{ commit = $Build.BaselineCommit; module = $Build.BaselineModule } } else { $null }
        }
        headline    = $rows
        paging      = $pagingSummary
        bulk        = $bulkSummary
        fresh       = $freshSummary
        journal     = $journalSummary
        journal_memory = $JournalMemory
        webhook     = $webhookSummary
    }
}

function Format-Number($Value, [string] $Unit) {
    if ($null -eq $Value) { return '' }
    switch ($Unit) {
        'x' { '{0:0.00}×' -f $Value }
        'share' { '{0:0.0}%' -f ($Value * 100) }
        '/s' { '{0:N0}/s' -f $Value }
        'ms' { '{0:N0} ms' -f $Value }
        'MB' { '{0:N1} MB' -f $Value }
        'B' { '{0:N0} B' -f $Value }
        'µs' { '{0:0.00} µs' -f $Value }
        default { '{0:N0}' -f $Value }
    }
}

function Get-MetText($Row, [string] $Build) {
    if (-not $Row.target) { return '' }
    if (-not $Row.Contains("met_$Build")) { return '' }
    if ($Row["met_$Build"]) { 'yes' } else { 'NO' }
}

function Format-BenchTable($Results) {
    $hasBefore = $null -ne $Results.builds.before
    $lines = [Collections.Generic.List[string]]::new()
    $lines.Add(('{0,-86} {1,12} {2,12} {3,9} {4,4}' -f 'Measure', $(if ($hasBefore) { 'Before' } else { '' }), 'After', 'Target', 'Met'))
    foreach ($row in $Results.headline) {
        $lines.Add(('{0,-86} {1,12} {2,12} {3,9} {4,4}' -f $row.measure, (Format-Number $row['before'] $row.unit), (Format-Number $row['after'] $row.unit), $row.target, (Get-MetText $row 'after')))
    }
    $lines -join [Environment]::NewLine
}

function Get-Short([string] $Commit) { if ($Commit) { $Commit.Substring(0, [Math]::Min(7, $Commit.Length)) + $(if ($Commit -match '\(') { '+' } else { '' }) } }

function Format-BenchMarkdown($Results) {
    $hasBefore = $null -ne $Results.builds.before
    $after = Get-Short $Results.builds.after.commit
    $text = [Text.StringBuilder]::new()
    $machine = $Results.machine
    [void]$text.AppendLine("Measured by ``dotnet pwsh ./bench/Invoke-Benchmark.ps1`` ([bench/README.md](bench/README.md)) on $($Results.measured_at): $($machine.cores) cores, $($machine.os), pwsh $($machine.pwsh), .NET $($machine.dotnet); $($Results.duration_s) s$(if ($Results.quick) { ', -Quick (not figures to quote)' }).")
    [void]$text.AppendLine('Contenders interleaved and repeated in real pwsh (warm workers, or a new pwsh per run); a figure is the median run. This table is written by the bench from its JSON.')
    if ($Results.Contains('load_average') -and $Results.load_average) { [void]$text.AppendLine("Load average (1, 5, 15 min) during the run: $($Results.load_average -join '; ').") }
    [void]$text.AppendLine()
    if ($hasBefore) {
        $before = Get-Short $Results.builds.before.commit
        [void]$text.AppendLine("| Measure | Before ($before) | After ($after) | Target | Met |")
        [void]$text.AppendLine('|---|---:|---:|---|---|')
    }
    else {
        [void]$text.AppendLine("| Measure | $after | Target | Met |")
        [void]$text.AppendLine('|---|---:|---|---|')
    }
    foreach ($row in @($Results.headline | Where-Object { -not $_['shared'] })) {
        $cells = @($row.measure)
        if ($hasBefore) { $cells += Format-Number $row['before'] $row.unit }
        $cells += (Format-Number $row['after'] $row.unit), ($row.target -replace '<=', '≤' -replace '>=', '≥'), (Get-MetText $row 'after')
        [void]$text.AppendLine('| ' + ($cells -join ' | ') + ' |')
    }
    [void]$text.AppendLine()
    [void]$text.AppendLine('What users would write instead, and the limits, in the same run:')
    [void]$text.AppendLine()
    [void]$text.AppendLine('| Contender without the module | Median |')
    [void]$text.AppendLine('|---|---:|')
    foreach ($row in @($Results.headline | Where-Object { $_['shared'] })) {
        [void]$text.AppendLine("| $($row.measure) | $(Format-Number $row['after'] $row.unit) |")
    }
    $text.ToString().TrimEnd()
}

Export-ModuleMember -Function New-BenchResults, Format-BenchTable, Format-BenchMarkdown
