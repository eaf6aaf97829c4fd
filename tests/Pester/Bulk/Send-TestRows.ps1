# One bulk run in a pwsh process of its own, as a runbook worker would do it: connects from FINQLINK_* variables, sends
# a CSV through New-FinqLink with a journal, and writes what came out (outputs, errors, the summary, any terminating
# error) as JSON to -ResultPath. Writes its own process id first, so a test can kill the engine mid-run.
param(
    [Parameter(Mandatory)] [string] $Manifest,
    [Parameter(Mandatory)] [string] $CsvPath,
    [Parameter(Mandatory)] [string] $JournalPath,
    [Parameter(Mandatory)] [string] $ResultPath,
    [string] $PidPath,
    [int] $ThrottleLimit = 8
)
if ($PidPath) { Set-Content -Path $PidPath -Value $PID }
Import-Module $Manifest
Connect-FinqLink
$outputs = [System.Collections.Generic.List[object]]::new()
$errors = [System.Collections.Generic.List[object]]::new()
$stopped = $null
try {
    Import-Csv $CsvPath | New-FinqLink -JournalPath $JournalPath -ThrottleLimit $ThrottleLimit -SummaryVariable run -ErrorAction SilentlyContinue -ErrorVariable +rowErrors -WarningVariable +warnings |
        ForEach-Object { $outputs.Add([pscustomobject]@{ Reference = $_.Reference; LinkId = $_.LinkId; FromJournal = $_.FromJournal }) }
}
catch { $stopped = [pscustomobject]@{ Id = $_.FullyQualifiedErrorId; Message = $_.Exception.Message } }
# A run that stops says so with one non-terminating FinqLink.Bulk.RunStopped error after the rows' own. -ErrorVariable also
# collects a terminating error (as an ErrorRecord and as the exception that carried it): rows' errors only.
$records = @($rowErrors | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
$stop = $records | Where-Object FullyQualifiedErrorId -like 'FinqLink.Bulk.RunStopped*' | Select-Object -First 1
if ($stop -and -not $stopped) { $stopped = [pscustomobject]@{ Id = $stop.FullyQualifiedErrorId; Message = $stop.Exception.Message } }
$rowRecords = $records | Where-Object { $_.FullyQualifiedErrorId -notlike 'FinqLink.Bulk.RunStopped*' }
foreach ($e in $rowRecords) { $errors.Add([pscustomobject]@{ Id = $e.FullyQualifiedErrorId; Message = $e.Exception.Message }) }
[pscustomobject]@{ Outputs = $outputs; Errors = $errors; Stopped = $stopped; Summary = $run; Warnings = @($warnings | ForEach-Object { "$_" }) } |
    ConvertTo-Json -Depth 4 | Set-Content -Path $ResultPath
