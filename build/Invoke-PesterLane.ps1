#Requires -Version 7.2
# One Pester lane of the test command (build/TestLanes.psm1): the given test files in this fresh pwsh, with the pinned
# Pester; its counts go to -SummaryPath as JSON, its exit code is 1 when anything failed.
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $PesterManifest,
    # The test files or folders, separated by '|' (pwsh -File takes no arrays).
    [Parameter(Mandatory)] [string] $Path,
    [Parameter(Mandatory)] [string] $SummaryPath
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Import-Module $PesterManifest -Force
$config = New-PesterConfiguration
$config.Run.Path = @($Path -split '\|')
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Normal'
# The test files are written for PowerShell's default mode, as Invoke-Pester from a plain pwsh runs them; strict mode
# set here would reach into them.
Set-StrictMode -Off
$run = Invoke-Pester -Configuration $config
@{ Passed = $run.PassedCount; Failed = $run.FailedCount + $run.FailedBlocksCount + $run.FailedContainersCount; Skipped = $run.SkippedCount } |
    ConvertTo-Json | Set-Content -LiteralPath $SummaryPath
exit ([int]($run.Result -ne 'Passed'))
