# Before the fresh-process rows: nothing of the bench's own builds left running, and a machine seen idle. Those rows
# time whole processes of a few hundred milliseconds, so the compiler and MSBuild servers the builds leave behind, or
# a machine still busy with something else, show in them directly (bench/README.md, "Fresh processes").
Set-StrictMode -Version Latest

# The share of the machine's CPU time that was busy over the next second, from /proc/stat (Linux); $null elsewhere.
function Measure-BusyShare {
    if (-not (Test-Path /proc/stat)) { return $null }
    $read = {
        $fields = @((Get-Content /proc/stat -TotalCount 1) -split '\s+' | Select-Object -Skip 1 | ForEach-Object { [double]$_ })
        # user nice system idle iowait irq softirq steal: idle and iowait are the idle time.
        @{ Total = ($fields[0..7] | Measure-Object -Sum).Sum; Idle = $fields[3] + $fields[4] }
    }
    $before = & $read
    Start-Sleep -Seconds 1
    $after = & $read
    $total = $after.Total - $before.Total
    if ($total -le 0) { return 0 }
    1 - ($after.Idle - $before.Idle) / $total
}

<#
  Stops the .NET build servers, then waits until -QuietSeconds consecutive seconds each had under -BusyShare of the
  CPU busy, at most -TimeoutSec. Returns what it saw, for the results: the seconds waited and whether it got quiet.
#>
function Wait-QuietMachine([double] $BusyShare = 0.1, [int] $QuietSeconds = 3, [int] $TimeoutSec = 90) {
    & dotnet build-server shutdown *> $null
    $waited = [Diagnostics.Stopwatch]::StartNew()
    $quiet = 0
    while ($quiet -lt $QuietSeconds -and $waited.Elapsed.TotalSeconds -lt $TimeoutSec) {
        $busy = Measure-BusyShare
        if ($null -eq $busy) { break }
        $quiet = if ($busy -lt $BusyShare) { $quiet + 1 } else { 0 }
    }
    [pscustomobject]@{ Seconds = [Math]::Round($waited.Elapsed.TotalSeconds); Quiet = $quiet -ge $QuietSeconds }
}

Export-ModuleMember -Function Wait-QuietMachine
