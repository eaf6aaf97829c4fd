# The pwsh processes the bench runs its contenders in: long-lived warm workers (bench/lib/Worker.ps1) driven over
# standard input and output, and fresh processes for what only a new pwsh can show (cold import, first call).
Set-StrictMode -Version Latest

# Real pwsh as this one was started (the PowerShell .NET tool runs as 'dotnet pwsh.dll', an installed pwsh as itself).
Import-Module (Join-Path $PSScriptRoot '../../tests/Pester/FinqLink.TestHelpers.psm1')

function New-PwshStartInfo([string[]] $Arguments) {
    $command = @(Get-FinqLinkTestPwshCommand)
    $info = [Diagnostics.ProcessStartInfo]::new($command[0])
    foreach ($argument in @($command | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive') + $Arguments) { $info.ArgumentList.Add($argument) }
    $info.UseShellExecute = $false
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.Environment['POWERSHELL_TELEMETRY_OPTOUT'] = '1'
    $info.Environment['POWERSHELL_UPDATECHECK'] = 'Off'
    $info
}

function Start-BenchWorker([string] $Name, [string] $Module, [string] $BaseUri, [string] $HelperPath, [int] $TimeoutSec = 120) {
    $info = New-PwshStartInfo @('-File', (Join-Path $PSScriptRoot 'Worker.ps1'), '-Module', $Module, '-BaseUri', $BaseUri, '-HelperPath', $HelperPath)
    $info.RedirectStandardInput = $true
    $process = [Diagnostics.Process]::Start($info)
    $errors = $process.StandardError.ReadToEndAsync()
    $worker = [pscustomobject]@{ Name = $Name; Process = $process; Errors = $errors; Ready = $null }
    $worker.Ready = Invoke-BenchWorker $worker ready -TimeoutSec $TimeoutSec
    $worker
}

<#
  Sends one operation and waits for its answer line, at most -TimeoutSec (the worker is killed then). Meanwhile the
  worker's working set is sampled: the answer gets peak_ws_mb (highest sample) and ws_growth_mb (peak minus before).
#>
function Invoke-BenchWorker($Worker, [string] $Operation, [hashtable] $Arguments = @{}, [int] $TimeoutSec = 300) {
    $process = $Worker.Process
    $process.Refresh()
    $before = $process.WorkingSet64
    $peak = $before
    $process.StandardInput.WriteLine("$Operation $($Arguments | ConvertTo-Json -Compress -Depth 5)")
    $process.StandardInput.Flush()
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    while ($true) {
        $read = $process.StandardOutput.ReadLineAsync()
        while (-not $read.Wait(50)) {
            $process.Refresh()
            if (-not $process.HasExited) { $peak = [Math]::Max($peak, $process.WorkingSet64) }
            if ([DateTime]::UtcNow -gt $deadline) {
                Stop-BenchWorker $Worker
                throw "Worker $($Worker.Name): '$Operation' took longer than $TimeoutSec s; the worker was stopped."
            }
        }
        $line = $read.Result
        if ($null -eq $line) { throw "Worker $($Worker.Name) ended during '$Operation': $($Worker.Errors.Result)" }
        if ($line.StartsWith('##ERROR## ')) { throw "Worker $($Worker.Name), '$Operation': $($line.Substring(10))" }
        if ($line.StartsWith('##RESULT## ')) { break }
    }
    $answer = $line.Substring(11) | ConvertFrom-Json -AsHashtable
    $answer['peak_ws_mb'] = $peak / 1MB
    $answer['ws_growth_mb'] = ($peak - $before) / 1MB
    $answer
}

function Stop-BenchWorker($Worker) {
    $process = $Worker.Process
    if ($process.HasExited) { return }
    try {
        $process.StandardInput.WriteLine('exit')
        $process.StandardInput.Flush()
    }
    catch [System.IO.IOException] { }
    if (-not $process.WaitForExit(10000)) { $process.Kill($true) }
}

<#
  Runs a fresh pwsh with -Command, whose last line of output must be a JSON object of what it measured itself; returns
  that object with the process's wall time added as wall_ms. Killed after -TimeoutSec.
#>
function Measure-FreshPwsh([string] $Command, [string] $CacheDirectory, [int] $TimeoutSec = 90) {
    $info = New-PwshStartInfo @('-Command', $Command)
    # pwsh keeps a startup JIT profile and module analysis in its cache folder, rewritten by every process: with a
    # folder per command, each run starts from what the same command left, as a runbook run daily would.
    if ($CacheDirectory) { $info.Environment['XDG_CACHE_HOME'] = $CacheDirectory }
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $process = [Diagnostics.Process]::Start($info)
    $output = $process.StandardOutput.ReadToEndAsync()
    $errors = $process.StandardError.ReadToEndAsync()
    if (-not $process.WaitForExit($TimeoutSec * 1000)) {
        $process.Kill($true)
        throw "A fresh pwsh running '$Command' took longer than $TimeoutSec s and was stopped."
    }
    $process.WaitForExit()
    $wall = $clock.Elapsed.TotalMilliseconds
    if ($process.ExitCode -ne 0) { throw "A fresh pwsh running '$Command' failed ($($process.ExitCode)): $($errors.Result)$($output.Result)" }
    $last = @($output.Result -split "`r?`n" | Where-Object { $_ })[-1]
    $measured = $last | ConvertFrom-Json -AsHashtable
    $measured['wall_ms'] = $wall
    $measured
}

# A module with nothing in it (a minimal manifest and an empty psm1): what PowerShell charges any manifest module's import.
function New-EmptyManifestModule([string] $Folder) {
    New-Item -ItemType Directory -Force $Folder | Out-Null
    Set-Content (Join-Path $Folder 'Empty.psm1') ''
    $manifest = Join-Path $Folder 'Empty.psd1'
    Set-Content $manifest "@{ RootModule = 'Empty.psm1'; ModuleVersion = '1.0.0'; GUID = '$([guid]::NewGuid())'; FunctionsToExport = @(); CmdletsToExport = @(); VariablesToExport = @(); AliasesToExport = @() }"
    $manifest
}

Export-ModuleMember -Function Start-BenchWorker, Invoke-BenchWorker, Stop-BenchWorker, Measure-FreshPwsh, New-EmptyManifestModule
