#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The global slot registry (#27), in real pwsh against the sandbox and Azurite: runs on "machines" that share nothing
# local (each its own TMPDIR, HOME and XDG folders), one API client, journals in storage. Every check is made on what
# the sandbox holds (GET /sandbox/links), not only on what the cmdlet said.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'FinqLink.TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'FinqLink.Azurite.psm1') -Force
    Import-FinqLinkUnderTest
    $script:Work = New-FinqLinkTestFolder
    # Leases of 15 s (Azure's shortest) instead of the product's 30 s, here and in every pwsh this session starts: the
    # tests that wait for a dead run's lease to lapse, or for a second run's patience to run out, wait half as long.
    $env:FINQLINK_TEST_LEASE_SECONDS = '15'
    # Faults after commit: the link is made, and the answer is a 500 or a dropped connection (outcome unknown).
    $script:Sandbox = Start-FinqLinkTestSandbox -Options @{ Seed = 27; Fault = 'links/create:latency=50,fail-after=0.1,drop-after=0.05' }
    $script:Azurite = Start-FinqLinkTestAzurite
    $Sandbox | Connect-FinqLink
    $script:Manifest = Get-FinqLinkTestManifest
    $script:SandboxVariables = @{ FINQLINK_BASE_URI = "$($Sandbox.BaseUri)"; FINQLINK_CLIENT_ID = 'demo'; FINQLINK_CLIENT_SECRET = 'demo-secret' }

    function Get-SentLink([string] $Prefix) { Get-FinqLinkTestSentLink $Prefix -Sandbox $script:Sandbox }

    function Get-JournalUrl([string] $Name) { "$($Azurite.BlobEndpoint)/journals/$Name" }

    # Rows <Prefix>-1..<Count>, each with its own amount, all asking for links valid 2 hours.
    function New-TestCsv([string] $Prefix, [int] $Count) {
        $path = Join-Path $Work "$Prefix.csv"
        1..$Count | ForEach-Object {
            [pscustomobject]@{ InvoiceNumber = "$Prefix-$_"; Amount = '{0}.{1:00}' -f (10 + $_), ($_ % 100); Currency = 'RON'; Description = "$Prefix-$_"; ExpiresIn = '02:00:00' }
        } | Export-Csv $path -NoTypeInformation
        $path
    }

    function New-Machine([string] $Name) { New-FinqLinkTestMachine -Work $Work -Name $Name }

    # Bulk/Send-TestRows.ps1 in a pwsh of its own on a machine; its PidPath names the engine's process, to SIGKILL.
    function Start-StorageRun([string] $CsvPath, [string] $JournalUrl, [hashtable] $Machine) {
        Start-FinqLinkTestStorageRun $CsvPath $JournalUrl -Environment ($SandboxVariables + $Machine) -Azurite $Azurite -Manifest $Manifest -Work $Work
    }

    function Wait-StorageRun($Run) { Wait-FinqLinkTestStorageRun $Run -TimeoutSec 240 }

    function Wait-SentLinks([string] $Prefix, [int] $Count) { Wait-FinqLinkTestSentLink $Prefix $Count -Sandbox $script:Sandbox -TimeoutSec 120 -IntervalMs 50 }

    # No row reported ambiguous, by count or by error.
    function Assert-NoneAmbiguous($Result, [string] $What) {
        if ($Result.Summary) { $Result.Summary.Ambiguous | Should -Be 0 -Because "$What reports no row ambiguous" }
        @($Result.Errors | Where-Object Id -like '*Ambiguous*').Count | Should -Be 0 -Because "$What reports no row ambiguous"
    }
}

AfterAll {
    Disconnect-FinqLink -ErrorAction SilentlyContinue
    if ($script:Sandbox) { Stop-FinqLinkSandbox $script:Sandbox }
    if ($script:Azurite) { Stop-FinqLinkTestAzurite $script:Azurite }
    Remove-Item $script:Work -Recurse -Force -ErrorAction SilentlyContinue
    $env:FINQLINK_TEST_LEASE_SECONDS = $null
}

Describe 'Four machines, one API client, journals in storage' {
    It 'gives every row exactly one link with its amount, through faults, a SIGKILL and re-runs elsewhere, and never an ambiguous row' {
        $rows = 150
        $names = 'DW0', 'DW1', 'DW2', 'DW3'
        $csvs = @{}
        foreach ($name in $names) { $csvs[$name] = New-TestCsv $name $rows }
        $counts = [ordered]@{}

        # All four at once, each on its own machine; DW1 is SIGKILLed in the middle of its run.
        $first = @{}
        foreach ($name in $names) { $first[$name] = Start-StorageRun $csvs[$name] (Get-JournalUrl "$name.jsonl") (New-Machine "first-$name") }
        Wait-SentLinks 'DW1' 40
        $engine = [int] (Get-Content $first['DW1'].PidPath)
        & kill -KILL $engine
        $first['DW1'].Process.WaitForExit(10000) | Out-Null
        $first['DW1'].Process.HasExited | Should -BeTrue
        Remove-FinqLinkKilledProcessFiles -ProcessId $engine
        $counts['links of DW1 when killed'] = (Get-SentLink 'DW1').Count
        foreach ($name in $names | Where-Object { $_ -ne 'DW1' }) {
            $result = Wait-StorageRun $first[$name]
            Assert-NoneAmbiguous $result "the first run of $name"
            $counts["first run $name (created/reconciled/failed/not sent)"] = '{0}/{1}/{2}/{3}' -f $result.Summary.Created, $result.Summary.Reconciled, $result.Summary.Failed, $result.Summary.NotSent
        }
        $counts['expiry slot blocks in the registry'] = @(Invoke-FinqLinkTestStorage $Azurite @'
$service.GetBlobContainerClient('journals').GetBlobs([Azure.Storage.Blobs.Models.BlobTraits]::None, [Azure.Storage.Blobs.Models.BlobStates]::None, 'finqlink-slots/', [Threading.CancellationToken]::None) | ForEach-Object Name
'@).Count

        # Then every CSV twice more, each time on another machine (all four CSVs at once in each round); the killed
        # run's re-run waits for its journal's lease to lapse.
        foreach ($round in 1, 2) {
            $again = @{}
            foreach ($name in $names) { $again[$name] = Start-StorageRun $csvs[$name] (Get-JournalUrl "$name.jsonl") (New-Machine "round$round-$name") }
            foreach ($name in $names) {
                $result = Wait-StorageRun $again[$name]
                Assert-NoneAmbiguous $result "re-run $round of $name"
                $counts["re-run $round $name (from journal/created/reconciled/errors)"] = '{0}/{1}/{2}/{3}' -f $result.Summary.FromJournal, $result.Summary.Created, $result.Summary.Reconciled, @($result.Errors).Count
                if ($round -eq 2) {
                    $result.Errors | Should -BeNullOrEmpty -Because "the final re-run of $name ends every row with its link"
                    $result.Stopped | Should -BeNullOrEmpty
                    @($result.Outputs).Count | Should -Be $rows
                    @($result.Outputs | Where-Object { -not $_.LinkId }).Count | Should -Be 0
                }
            }
        }

        # The sandbox holds exactly one link per row, each with its row's amount, and each final output names it.
        $all = @((Invoke-FinqLinkSandbox GetLinks -Sandbox $Sandbox).links | Where-Object { $_.single_transfer.remittance_information -like 'DW?-*' })
        foreach ($name in $names) {
            $sent = @($all | Where-Object { $_.single_transfer.remittance_information -like "$name-*" })
            @($sent | Group-Object { $_.single_transfer.remittance_information } | Where-Object Count -gt 1).Count | Should -Be 0 -Because 'no row gets two links'
            $sent.Count | Should -Be $rows
            foreach ($link in $sent) {
                $n = [int]($link.single_transfer.remittance_information -replace '^.*-')
                [decimal] $link.single_transfer.amount | Should -Be ([decimal]('{0}.{1:00}' -f (10 + $n), ($n % 100)))
                $moved = ([DateTimeOffset] $link.expires_at - [DateTimeOffset] $link.created_at).TotalSeconds - 7200
                $moved | Should -BeGreaterOrEqual 2 -Because 'a registry slot lies 3 or 7 s past a 10 s step'
                $moved | Should -BeLessOrEqual 1278 -Because 'a 2-hour expiry moves by at most 21 min 17 s'
            }
        }
        $counts['links in the sandbox'] = $all.Count
        $counts['links with a repeated single_transfer (GetStats)'] = (Invoke-FinqLinkSandbox GetStats -Sandbox $Sandbox).duplicate_links
        Write-Host ('    ' + (($counts.GetEnumerator() | ForEach-Object { "$($_.Key): $($_.Value)" }) -join "`n    "))
    }

    It 'refuses one of two runs started at once on one storage journal' {
        # Slow creates (600 rows at 500 ms, 8 at a time: about 38 s), so the first run outlives the second's wait for the
        # lease (22 s with 15 s leases).
        Invoke-FinqLinkSandbox SetFaults -Fault 'links/create:latency=500' -Sandbox $Sandbox | Out-Null
        $csv = New-TestCsv 'TWIN' 600
        $url = Get-JournalUrl 'twin.jsonl'
        $runs = @((Start-StorageRun $csv $url (New-Machine 'twin-a')), (Start-StorageRun $csv $url (New-Machine 'twin-b')))
        $results = @($runs | ForEach-Object { Wait-StorageRun $_ })
        $refused = @($results | Where-Object { $_.Stopped.Id -like 'FinqLink.JournalInUse*' })
        $refused.Count | Should -Be 1 -Because 'one run holds a journal at a time'
        $done = @($results | Where-Object { -not $_.Stopped })
        $done.Count | Should -Be 1
        @($done[0].Outputs).Count + @($done[0].Errors).Count | Should -Be 600
        Assert-NoneAmbiguous $done[0] 'the run that holds the journal'
        (Get-SentLink 'TWIN' | Group-Object { $_.single_transfer.remittance_information } | Where-Object Count -gt 1) | Should -BeNullOrEmpty
    }

    It 'costs the registry a few storage requests per run, none per row' {
        Invoke-FinqLinkSandbox ClearFaults -Sandbox $Sandbox | Out-Null
        $rows = 1..300 | ForEach-Object { [pscustomobject]@{ InvoiceNumber = "COST-$_"; Amount = "1$_.00"; Currency = 'RON'; Description = "COST-$_"; ExpiresIn = '02:00:00' } }
        $env:AZURE_STORAGE_CONNECTION_STRING = $Azurite.ConnectionString
        try { $verbose = $rows | New-FinqLink -JournalPath (Get-JournalUrl 'cost.jsonl') -ErrorAction Stop -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } }
        finally { $env:AZURE_STORAGE_CONNECTION_STRING = $null }
        # Every storage request but the one per block that gives it back at the end is counted in the last "holds block" line.
        $takes = @($verbose | Where-Object { "$_" -like 'Bulk run: holds block*' })
        $counted = [regex]::Match("$($takes[-1])", 'slot registry: (\d+) storage requests so far')
        $counted.Success | Should -BeTrue -Because 'the registry says what it cost'
        $requests = [int] $counted.Groups[1].Value + $takes.Count
        Write-Host "    slot registry: $requests storage requests for 300 rows ($($takes.Count) blocks); per row: $([Math]::Round($requests / 300, 3))"
        # A run holds blocks for the rows it takes ahead (4x -ThrottleLimit with a journal, 16 by default), 8 at most per expiry.
        $takes.Count | Should -BeLessOrEqual 8 -Because 'the registry holds at most 8 blocks per expiry'
        $requests | Should -BeLessOrEqual (3 * $takes.Count + 2) -Because 'blocks are taken and given back per run, not per row: a list, a take and a give-back each'
        (Get-SentLink 'COST').Count | Should -Be 300
    }
}
