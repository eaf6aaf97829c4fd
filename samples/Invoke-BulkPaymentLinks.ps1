#Requires -Version 7.2
<#
.SYNOPSIS
    Creates one payment link per invoice in a CSV file, waits for the payers, and prints a summary.
.DESCRIPTION
    The module's main job, end to end, against the local FinqLink sandbox: start the sandbox, register an API client
    with a key made now (as Finqware's key script would), connect with OAuth2 private_key_jwt, run
    Import-Csv | New-FinqLink with a journal, let some payers pay, wait, and summarise.

    To run it against Finqware's sandbox instead, delete the "local sandbox" block and change the Connect-FinqLink
    line to your own credentials, for example:
        Connect-FinqLink -Environment Sandbox -UseTestPath -ClientId $id -ClientSecret (Read-Host -AsSecureString)
.EXAMPLE
    ./samples/Invoke-BulkPaymentLinks.ps1 -CsvPath ./invoices.csv
#>
[CmdletBinding()]
param(
    [string] $CsvPath = (Join-Path $PSScriptRoot 'payments.csv'),
    [string] $JournalPath = (Join-Path ([IO.Path]::GetTempPath()) "finqlink-demo-$(Get-Date -Format yyyyMMdd-HHmmss).journal")
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Import-Module FinqLink

# --- The local sandbox, and an API client registered with it -----------------------------------------------------
$sandbox = Start-FinqLinkSandbox -BankStepDelayMs 150
Write-Host "Local FinqLink sandbox on $($sandbox.BaseUri)"
try {
    $keyFolder = Join-Path ([IO.Path]::GetTempPath()) "finqlink-demo-key-$PID"
    $key = New-FinqLinkKey -Path $keyFolder -Force                      # as Finqware's key script: PEM and JWK files, a kid
    $key | Register-FinqLinkSandboxClient -ClientId acme-runbook | Out-Null   # what Finqware does with your public key

    # --- Connect: OAuth2 private_key_jwt with the key's PEM file -------------------------------------------------
    $session = Connect-FinqLink -BaseUri $sandbox.BaseUri -ClientId acme-runbook -PrivateKeyPath $key.PrivateKeyPath -KeyId $key.KeyId -PassThru -ErrorAction Stop
    Write-Host "Connected as $($session.ClientId) with $($session.AuthMethod); token valid until $($session.TokenExpiresAt.ToLocalTime().ToString('HH:mm:ss'))"

    # --- One payment link per CSV row; a bad row is reported and nothing is sent for it ----------------------------
    $rows = @(Import-Csv $CsvPath)
    Write-Host "`nImport-Csv $(Split-Path $CsvPath -Leaf) | New-FinqLink -JournalPath $JournalPath   ($($rows.Count) rows)"
    $links = @($rows | New-FinqLink -JournalPath $JournalPath -ErrorVariable rejected -ErrorAction SilentlyContinue)
    foreach ($problem in $rejected) { Write-Host "  not sent: $($problem.Exception.Message)" -ForegroundColor Yellow }
    Write-Host "  $($links.Count) payment links created."

    # --- The payers: most pay, one changes their mind, the last two have not opened their links yet ---------------
    for ($i = 0; $i -lt $links.Count - 2; $i++) {
        $action = if ($i -eq 2) { 'RejectLink' } else { 'ApproveLink' }
        Invoke-FinqLinkSandbox $action $links[$i].LinkId | Out-Null
    }

    Write-Host "`nWaiting for the payers (Wait-FinqLink)..."
    $settled = @($links | Select-Object -First ($links.Count - 2) | Wait-FinqLink -TimeoutSec 30 -PollIntervalSec 0.25 -ErrorAction SilentlyContinue -ErrorVariable ended)
    $open = @($links | Select-Object -Last 2 | Get-FinqLink)
    $now = @{}
    foreach ($link in $settled + $open + @($ended | ForEach-Object TargetObject | Where-Object { $_ })) { $now[$link.LinkId] = $link.Status }

    $links | Select-Object Reference, Amount, Currency, @{ Name = 'Status'; Expression = { $now[$_.LinkId] } }, WebUrl |
        Sort-Object Reference | Format-Table -AutoSize | Out-String -Width 200 | Write-Host

    $stats = Invoke-FinqLinkSandbox GetStats
    $byStatus = ($now.Values | Group-Object | Sort-Object Name | ForEach-Object { "$($_.Count) $($_.Name)" }) -join ', '
    Write-Host "Summary: $byStatus; $($rejected.Count) row(s) rejected before sending."
    Write-Host "Sandbox counters: $($stats.links_created) links created, $($stats.duplicate_links) duplicates, $($stats.tokens_issued) token(s) issued."

    if ($links.Count -ne $rows.Count - 1 -or $stats.duplicate_links -ne 0 -or $now.Count -ne $links.Count) { throw 'The demo did not end as expected.' }
}
finally {
    Disconnect-FinqLink -ErrorAction SilentlyContinue
    $sandbox | Stop-FinqLinkSandbox
    if ($keyFolder) { Remove-Item $keyFolder -Recurse -Force -ErrorAction SilentlyContinue }
    # The journal records links of the sandbox this script started, gone now. Against a real API (the sandbox lines
    # removed), or when you named it, the journal is the record of which link is whose: it stays.
    if ($sandbox -and -not $PSBoundParameters.ContainsKey('JournalPath')) { Remove-Item $JournalPath -Force -ErrorAction SilentlyContinue }
}
