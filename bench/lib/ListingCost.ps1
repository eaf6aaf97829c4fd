<#
.SYNOPSIS
    Runs inside one fresh pwsh for bench/Measure-ListingCost.ps1: connects, lists a consent's transactions -Listings
    times into Measure-Object, and prints one JSON line with what each listing cost this process.
.DESCRIPTION
    Per listing: wall ms; methods the JIT compiled and its compilation time (System.Runtime.JitInfo, every tier);
    bytes allocated (GC.GetTotalAllocatedBytes, precise); the process's user and total CPU ms; and on Linux the CPU ms
    of each kind of thread, from /proc/self/task: the pipeline thread (writes every item), the thread pool (requests and
    parsing), the tiered-compilation worker (re-compiles hot methods), others. CPU and JIT counts move much less with the
    machine's load than wall time does.
#>
param(
    [Parameter(Mandatory = $true)][ValidateSet('module', 'raw')][string] $Kind,
    [Parameter(Mandatory = $true)][string] $BaseUri,
    [Parameter(Mandatory = $true)][string] $ConsentId,
    [Parameter(Mandatory = $true)][int] $Expected,
    [string] $Module,
    [string] $Helper,
    [int] $Listings = 10
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$ProgressPreference = 'SilentlyContinue'

if ($Kind -eq 'module') {
    Import-Module $Module
    Connect-FinqLink -BaseUri $BaseUri -ClientId demo -ClientSecret (ConvertTo-SecureString demo-secret -AsPlainText -Force)
}
else {
    Import-Module $Helper
    [FinqLink.Bench.GetRawTransactionCommand]::Connect($BaseUri)
}

# CPU ms by role of thread (Linux; empty elsewhere). Thread names are the runtime's and PowerShell's own.
function Get-ThreadCpu {
    $byRole = @{}
    if (-not (Test-Path /proc/self/task)) { return $byRole }
    foreach ($task in [IO.Directory]::GetDirectories('/proc/self/task')) {
        try {
            $name = [IO.File]::ReadAllText("$task/comm").Trim()
            $stat = [IO.File]::ReadAllText("$task/stat")
            $fields = $stat.Substring($stat.LastIndexOf(')') + 2).Split(' ')
            $ms = ([long]$fields[11] + [long]$fields[12]) * 10.0     # utime + stime, in ticks of 10 ms (USER_HZ 100)
        }
        catch [System.IO.IOException] { continue }                   # a thread that ended meanwhile
        $role = switch -Regex ($name) { '^Pipeline' { 'pipeline' } 'TP Worker' { 'pool' } 'Tiered' { 'tiering' } default { 'other' } }
        $byRole[$role] = [double]$byRole[$role] + $ms
    }
    $byRole
}

$process = [Diagnostics.Process]::GetCurrentProcess()
$rows = foreach ($i in 1..$Listings) {
    $process.Refresh()
    $jit = [System.Runtime.JitInfo]::GetCompiledMethodCount($false)
    $jitTime = [System.Runtime.JitInfo]::GetCompilationTime($false)
    $allocated = [GC]::GetTotalAllocatedBytes($true)
    $user = $process.UserProcessorTime
    $total = $process.TotalProcessorTime
    $threads = Get-ThreadCpu
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $count = if ($Kind -eq 'module') { (Get-FinqTransaction -ConsentId $ConsentId | Measure-Object).Count }
    else { (Get-RawTransaction -BaseUri $BaseUri -ConsentId $ConsentId | Measure-Object).Count }
    $clock.Stop()
    $process.Refresh()
    if ($count -ne $Expected) { throw "Listing $i read $count transactions of $Expected." }
    $after = Get-ThreadCpu
    $byThread = [ordered]@{}
    foreach ($role in 'pipeline', 'pool', 'tiering', 'other') { $byThread[$role] = [double]$after[$role] - [double]$threads[$role] }
    [ordered]@{
        ms           = $clock.Elapsed.TotalMilliseconds
        jit_methods  = [System.Runtime.JitInfo]::GetCompiledMethodCount($false) - $jit
        jit_ms       = ([System.Runtime.JitInfo]::GetCompilationTime($false) - $jitTime).TotalMilliseconds
        allocated_mb = ([GC]::GetTotalAllocatedBytes($true) - $allocated) / 1MB
        user_cpu_ms  = ($process.UserProcessorTime - $user).TotalMilliseconds
        cpu_ms       = ($process.TotalProcessorTime - $total).TotalMilliseconds
        thread_cpu_ms = $byThread
    }
}
@{ listings = @($rows) } | ConvertTo-Json -Compress -Depth 5
