# The test command's lanes run side by side, each a process of its own writing to its own log under out/test-results.
# Most of the suite waits (leases lapsing in the storage emulator, sandboxes starting, pwsh processes killed and
# resumed), so lanes that wait overlap instead of queueing. A lane's log is shown whole when the lane ends, in the
# order lanes end, so the output of parallel lanes never interleaves. At most -ThrottleLimit lanes run at once; lanes
# start in the order given, so the longest go first. A lane marked -Foreground starts first, beside them and outside the
# throttle, and the others then run at a lower priority (nice 10, or BelowNormal on Windows): the Ctrl+C terminal test
# times how soon a prompt comes back, which the suite's own load would otherwise measure. (It ran alone after the other
# lanes before, 24 s of a 290 s run with one core idle; its prompts come back in about 50 ms against a 1,000 ms limit.)

Set-StrictMode -Version Latest

# A lane: what to run and how its result is counted (trx files, a Pester summary, terminal 'ok'/'FAIL' lines or the
# exit code alone).
function New-TestLane {
    param(
        [Parameter(Mandatory)] [string] $Name,
        [Parameter(Mandatory)] [string] $FilePath,
        [string[]] $ArgumentList = @(),
        [ValidateSet('Trx', 'PesterSummary', 'TerminalLines', 'ExitCode')] [string] $CountedBy = 'ExitCode',
        # Where the lane leaves what it is counted by: the trx folder or the Pester summary file.
        [string] $ResultPath,
        # Starts first and ahead of the throttle, at normal priority while the other lanes run at a lower one.
        [switch] $Foreground
    )
    [pscustomobject]@{ Name = $Name; FilePath = $FilePath; ArgumentList = $ArgumentList; CountedBy = $CountedBy; ResultPath = $ResultPath; Foreground = [bool]$Foreground }
}

# -Started: lanes already running (Start-TestLane), which need nothing the others wait for; they end as lanes do.
function Invoke-TestLane {
    param([Parameter(Mandatory)] [object[]] $Lane, [Parameter(Mandatory)] [string] $LogFolder, [int] $ThrottleLimit = 4, [object[]] $Started = @())
    New-Item -ItemType Directory -Path $LogFolder -Force | Out-Null
    $counts = [ordered]@{}
    $foreground = @($Lane | Where-Object Foreground)
    $running = [Collections.Generic.List[object]]::new()
    foreach ($early in $Started) { $running.Add($early) }
    foreach ($first in $foreground) { $running.Add((Start-LaneProcess $first $LogFolder)) }
    $queue = [Collections.Generic.Queue[object]]::new([object[]] @($Lane | Where-Object { -not $_.Foreground }))
    while ($queue.Count -gt 0 -or $running.Count -gt 0) {
        while ($queue.Count -gt 0 -and @($running | Where-Object Throttled).Count -lt $ThrottleLimit) {
            $next = Start-LaneProcess $queue.Dequeue() $LogFolder -Lower:($foreground.Count -gt 0)
            $next.Throttled = $true
            $running.Add($next)
        }
        $ended = [Threading.Tasks.Task]::WaitAny([Threading.Tasks.Task[]] @($running | ForEach-Object Exited))
        $done = $running[$ended]
        $running.RemoveAt($ended)
        $counts[$done.Lane.Name] = Complete-LaneProcess $done
    }
    $counts
}

# A lane started ahead of the others, such as one that needs no build while the build runs: give it to Invoke-TestLane
# -Started, or to Stop-TestLane when the others never start.
function Start-TestLane($Lane, [string] $LogFolder) {
    New-Item -ItemType Directory -Path $LogFolder -Force | Out-Null
    Start-LaneProcess $Lane $LogFolder
}

function Stop-TestLane($Running) {
    if (-not $Running.Process.HasExited) { $Running.Process.Kill($true) }
    $Running.Process.WaitForExit()
    Close-LaneOutput $Running
    $Running.Process.Dispose()
}

# -Lower: at a lower priority, with every process the lane starts. On Linux and macOS through nice(1), since setting a
# running process's priority there reaches only its main thread; on Windows children inherit BelowNormal by themselves.
function Start-LaneProcess($Lane, [string] $LogFolder, [switch] $Lower) {
    $nice = if ($Lower -and -not $IsWindows) { Get-Command nice -CommandType Application -ErrorAction Ignore | Select-Object -First 1 }
    $info = [Diagnostics.ProcessStartInfo]::new($(if ($nice) { $nice.Source } else { $Lane.FilePath }))
    if ($nice) { foreach ($argument in '-n', '10', $Lane.FilePath) { $info.ArgumentList.Add($argument) } }
    foreach ($argument in $Lane.ArgumentList) { $info.ArgumentList.Add($argument) }
    $info.UseShellExecute = $false
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.WorkingDirectory = (Get-Location).Path
    $logPath = Join-Path $LogFolder "$(Get-LaneFileName $Lane.Name).log"
    $errorPath = "$logPath.stderr"
    $startedAt = [DateTime]::Now
    $process = [Diagnostics.Process]::Start($info)
    if ($Lower -and $IsWindows) { $process.PriorityClass = [Diagnostics.ProcessPriorityClass]::BelowNormal }
    $log = [IO.File]::Create($logPath)
    $errors = [IO.File]::Create($errorPath)
    [pscustomobject]@{
        Lane      = $Lane
        Throttled = $false
        StartedAt = $startedAt
        Process   = $process
        LogPath   = $logPath
        ErrorPath = $errorPath
        Copies    = @($process.StandardOutput.BaseStream.CopyToAsync($log), $process.StandardError.BaseStream.CopyToAsync($errors))
        Files     = @($log, $errors)
        Exited    = $process.WaitForExitAsync()
    }
}

# Once the process has exited: the rest of its output copied into the log files, and the files closed.
function Close-LaneOutput($Running) {
    [Threading.Tasks.Task]::WaitAll([Threading.Tasks.Task[]] $Running.Copies)
    foreach ($file in $Running.Files) { $file.Dispose() }
}

function Complete-LaneProcess($Running) {
    Close-LaneOutput $Running
    $exit = $Running.Process.ExitCode
    # Until the process exited: a lane started early may have ended well before it is collected here.
    $seconds = ($Running.Process.ExitTime - $Running.StartedAt).TotalSeconds
    $Running.Process.Dispose()
    $lane = $Running.Lane
    Write-Host ("== {0} ({1:n0} s, exit code {2})" -f $lane.Name, $seconds, $exit) -ForegroundColor Cyan
    $lines = @(Get-Content -LiteralPath $Running.LogPath) + @(Get-Content -LiteralPath $Running.ErrorPath)
    $lines | Out-Host
    Remove-Item -LiteralPath $Running.ErrorPath
    $counts = switch ($lane.CountedBy) {
        'Trx' { Read-TrxCounts $lane.ResultPath }
        'PesterSummary' {
            if (Test-Path $lane.ResultPath) { Get-Content $lane.ResultPath -Raw | ConvertFrom-Json }
            else { [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0 } }
        }
        'TerminalLines' {
            [pscustomobject]@{
                Passed  = @($lines | Where-Object { $_ -like 'ok *' }).Count
                Failed  = @($lines | Where-Object { $_ -like 'FAIL*' }).Count
                Skipped = @($lines | Where-Object { $_ -like 'SKIP*' }).Count
            }
        }
        'ExitCode' { [pscustomobject]@{ Passed = [int]($exit -eq 0); Failed = 0; Skipped = 0 } }
    }
    # A lane that failed without a failed test to show for it (a crashed host, a script that threw) is one failure.
    if ($exit -ne 0 -and $counts.Failed -eq 0) { $counts.Failed = 1 }
    $counts
}

# A lane's name as a file name on every platform: 'Pester: bulk' is Pester--bulk.
function Get-LaneFileName([string] $Name) { $Name -replace '[^\w.-]', '-' }

function Read-TrxCounts([string] $Folder) {
    $passed = 0; $failed = 0; $skipped = 0
    foreach ($file in Get-ChildItem $Folder -Filter *.trx -ErrorAction SilentlyContinue) {
        $counters = ([xml](Get-Content -LiteralPath $file.FullName -Raw)).TestRun.ResultSummary.Counters
        $passed += [int]$counters.passed
        $failed += [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        $skipped += [int]$counters.notExecuted
    }
    [pscustomobject]@{ Passed = $passed; Failed = $failed; Skipped = $skipped }
}

# The totals of every lane: one line per lane, then the combined 'N passed, N failed' line .ci/run reads.
function Write-TestTotal {
    param([Parameter(Mandatory)] [Collections.Specialized.OrderedDictionary] $Counts, [string] $Note = '')
    Write-Host ''
    foreach ($name in $Counts.Keys) {
        $lane = $Counts[$name]
        Write-Host ("{0,-28} {1} passed, {2} failed, {3} skipped" -f "${name}:", $lane.Passed, $lane.Failed, $lane.Skipped)
    }
    $passed = ($Counts.Values | Measure-Object -Property Passed -Sum).Sum
    $failed = ($Counts.Values | Measure-Object -Property Failed -Sum).Sum
    Write-Host "$passed passed, $failed failed$Note"
    if ($failed -gt 0) { throw 'Tests failed.' }
}

Export-ModuleMember -Function New-TestLane, Start-TestLane, Stop-TestLane, Invoke-TestLane, Write-TestTotal, Get-LaneFileName
