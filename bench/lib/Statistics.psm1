# Summaries of repeated runs: min / median / max of any field, and ratios of medians.
Set-StrictMode -Version Latest

function Get-Spread([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    if ($sorted.Count -eq 0) { return $null }
    $middle = [int][Math]::Floor($sorted.Count / 2)
    $median = if ($sorted.Count % 2) { $sorted[$middle] } else { ($sorted[$middle - 1] + $sorted[$middle]) / 2 }
    [ordered]@{ min = $sorted[0]; median = $median; max = $sorted[-1]; runs = $sorted.Count }
}

# One contender's runs summarised: every numeric field gets its spread, and the item rate comes from the median time.
function Get-RunSummary([object[]] $Runs) {
    $summary = [ordered]@{}
    foreach ($field in 'ms', 'allocated_mb', 'gen0', 'gen1', 'gen2', 'jit_methods', 'ws_growth_mb', 'peak_ws_mb') {
        $values = @($Runs | Where-Object { $_.Contains($field) -and $null -ne $_[$field] } | ForEach-Object { [double]$_[$field] })
        if ($values.Count) { $summary[$field] = Get-Spread $values }
    }
    $summary['count'] = $Runs[0]['count']
    $summary['per_second'] = $summary.count / ($summary.ms.median / 1000)
    $summary
}

Export-ModuleMember -Function Get-Spread, Get-RunSummary
