#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The journal in Azure Blob Storage (-JournalPath https://... or the emulator's http://127.0.0.1:<port>/<account>/...),
# in real pwsh against the sandbox and Azurite (tests/Azurite, pinned). The Azure SDK is loaded only when it is used.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'FinqLink.TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'FinqLink.Azurite.psm1') -Force
    Import-FinqLinkUnderTest
    $script:Work = New-FinqLinkTestFolder
    # Leases of 15 s (Azure's shortest) instead of the product's 30 s, here and in every pwsh this session starts: the
    # tests that wait for a dead run's lease to lapse, or for a second run's patience to run out, wait half as long.
    $env:FINQLINK_TEST_LEASE_SECONDS = '15'
    $script:Sandbox = Start-FinqLinkTestSandbox
    $script:Azurite = Start-FinqLinkTestAzurite
    $Sandbox | Connect-FinqLink
    $script:Manifest = Get-FinqLinkTestManifest
    $script:SandboxVariables = @{ FINQLINK_BASE_URI = "$($Sandbox.BaseUri)"; FINQLINK_CLIENT_ID = 'demo'; FINQLINK_CLIENT_SECRET = 'demo-secret' }

    function Get-SentLink([string] $Prefix) { Get-FinqLinkTestSentLink $Prefix -Sandbox $script:Sandbox }

    function New-TestRows([string] $Prefix, [int] $Count) {
        1..$Count | ForEach-Object { [pscustomobject]@{ InvoiceNumber = "$Prefix-$_"; Amount = '{0}.{1:00}' -f (10 + $_), ($_ % 100); Currency = 'RON'; Description = "$Prefix-$_" } }
    }

    function Get-JournalUrl([string] $Name, [string] $Container = 'journals', $On = $script:Azurite) { "$($On.BlobEndpoint)/$Container/$Name" }

    function New-TestCsv([string] $Prefix, [int] $Count) {
        $path = Join-Path $Work "$Prefix.csv"
        New-TestRows $Prefix $Count | Export-Csv $path -NoTypeInformation
        $path
    }

    function New-Machine([string] $Name) { New-FinqLinkTestMachine -Work $Work -Name $Name }

    # Bulk/Send-TestRows.ps1 in a pwsh of its own on a machine, with -On's storage credentials.
    function Start-StorageRun([string] $CsvPath, [string] $JournalUrl, [hashtable] $Machine, $On = $script:Azurite) {
        Start-FinqLinkTestStorageRun $CsvPath $JournalUrl -Environment ($SandboxVariables + $Machine) -Azurite $On -Manifest $Manifest -Work $Work
    }

    function Wait-StorageRun($Run) { Wait-FinqLinkTestStorageRun $Run -TimeoutSec 180 }

    # Waits until the sandbox holds at least $Count links of the prefix: the run is mid-way.
    function Wait-SentLinks([string] $Prefix, [int] $Count) { Wait-FinqLinkTestSentLink $Prefix $Count -Sandbox $script:Sandbox -TimeoutSec 60 -IntervalMs 100 }

    # One link per row, each with its row's amount, and nothing else.
    function Assert-OneLinkPerRow([string] $Prefix, [int] $Rows) {
        $sent = Get-SentLink $Prefix
        @($sent | Group-Object { $_.single_transfer.remittance_information } | Where-Object Count -gt 1).Count | Should -Be 0 -Because 'no row may get two links'
        $sent.Count | Should -Be $Rows
        foreach ($link in $sent) {
            $n = [int]($link.single_transfer.remittance_information -replace '^.*-')
            [decimal]$link.single_transfer.amount | Should -Be ([decimal]('{0}.{1:00}' -f (10 + $n), ($n % 100)))
        }
    }
}

AfterAll {
    if ($script:Sandbox) { Stop-FinqLinkSandbox $script:Sandbox }
    if ($script:Azurite) { Stop-FinqLinkTestAzurite $script:Azurite }
    Remove-Item $script:Work -Recurse -Force -ErrorAction SilentlyContinue
    $env:FINQLINK_TEST_LEASE_SECONDS = $null
    $env:AZURE_STORAGE_CONNECTION_STRING = $null
}

Describe 'The Azure parts are loaded only when used' {
    It 'loads no Azure assembly for Import-Module, Connect-FinqLink and a local journal; a storage journal loads them privately' {
        $script = @'
Import-Module $env:TEST_MANIFEST -ErrorAction Stop
Connect-FinqLink
$rows = 1..3 | ForEach-Object { [pscustomobject]@{ InvoiceNumber = "LAZY-$_"; Amount = "1$_.00"; Currency = 'RON'; Description = "LAZY-$_" } }
$null = $rows | New-FinqLink -JournalPath (Join-Path $env:TEST_WORK 'lazy.jsonl') -ErrorAction Stop
function Get-Azure { [System.Runtime.Loader.AssemblyLoadContext]::All | ForEach-Object { $context = $_; $_.Assemblies | Where-Object { $_.GetName().Name -match '^(Azure\.|FinqLink\.Azure|Microsoft\.Identity\.Client)' } | ForEach-Object { "$($context.GetType().Name)|$($_.GetName().Name)" } } }
"local:" + ((Get-Azure | Sort-Object) -join ',')
$null = $rows | New-FinqLink -JournalPath $env:TEST_JOURNAL -ErrorAction Stop
"storage:" + ((Get-Azure | Sort-Object) -join ',')
'@
        $output = Invoke-FinqLinkTestPwsh -Command $script -Environment ($SandboxVariables + @{
                TEST_MANIFEST = $Manifest; TEST_WORK = $Work; TEST_JOURNAL = (Get-JournalUrl 'lazy.jsonl'); AZURE_STORAGE_CONNECTION_STRING = $Azurite.ConnectionString })
        $output | Where-Object { $_ -like 'local:*' } | Should -Be 'local:'
        $storage = ($output | Where-Object { $_ -like 'storage:*' }) -replace '^storage:' -split ','
        $storage | Should -Contain 'IsolatedDependencies|FinqLink.Azure' -Because 'FinqLink.Azure loads into the module''s private load context'
        $storage | Should -Contain 'IsolatedDependencies|Azure.Storage.Blobs' -Because 'the SDK loads with it, on first use'
        $storage | Where-Object { $_ -notlike 'IsolatedDependencies|*' } | Should -BeNullOrEmpty
        @($storage | Where-Object { $_ -like '*|Azure.Storage.Blobs' }).Count | Should -Be 1 -Because 'one copy, not one per context'
    }
}

Describe 'New-FinqLink -JournalPath with a blob URL' {
    AfterEach { Invoke-FinqLinkSandbox ClearFaults | Out-Null }

    It 'runs end to end, and a re-run on another machine answers every row from the journal' {
        $csv = New-TestCsv 'AZE2E' 40
        $url = Get-JournalUrl 'e2e.jsonl'
        $first = Wait-StorageRun (Start-StorageRun $csv $url (New-Machine 'a'))
        $first.Errors | Should -BeNullOrEmpty
        $first.Stopped | Should -BeNullOrEmpty
        @($first.Outputs).Count | Should -Be 40
        $again = Wait-StorageRun (Start-StorageRun $csv $url (New-Machine 'b'))
        @($again.Outputs | Where-Object FromJournal).Count | Should -Be 40
        Assert-OneLinkPerRow 'AZE2E' 40
        # The ledger reads the blob as it reads a file: streamed, every row in input order with its invoice.
        $saved = $env:AZURE_STORAGE_CONNECTION_STRING
        $env:AZURE_STORAGE_CONNECTION_STRING = $Azurite.ConnectionString
        try { $ledger = @(Get-FinqLink -JournalPath $url -ErrorAction Stop) }
        finally { $env:AZURE_STORAGE_CONNECTION_STRING = $saved }
        $ledger.Reference | Should -Be (1..40 | ForEach-Object { "AZE2E-$_" })
        "$($ledger[1].Amount)" | Should -Be '12.02'
        @($ledger | Where-Object { $_.LinkId -and $_.Status }).Count | Should -Be 40
    }

    It 'takes webhooks into the blob with Receive-FinqWebhook -JournalPath, each reading only what was appended since the last' {
        $url = Get-JournalUrl 'webhooks.jsonl'
        $env:AZURE_STORAGE_CONNECTION_STRING = $Azurite.ConnectionString
        try {
            $made = @(New-TestRows 'AZWH' 2 | New-FinqLink -JournalPath $url -ErrorAction Stop)
            $port = Get-FreePort
            $job = Start-FinqLinkTestReceiver $Manifest (Get-FinqSession) @{ Port = $port; JournalPath = $url; Count = 3; TimeoutSec = 60 }
            try {
                $sent = 0
                function Send-Paid([string] $LinkId) {
                    Invoke-FinqLinkSandbox TriggerWebhook -Body @{ type = 'link_status_update'; id = $LinkId; status = 'completed'; url = "http://127.0.0.1:$port/" } | Out-Null
                    $script:sent++
                    # Recorded in the journal once the pipeline took it: wait for that, so the re-run does not wait for the journal.
                    Wait-JobStream $job $job.Verbose { @($args[0] | Where-Object Message -like 'Journal: *').Count -ge $script:sent } "webhook $script:sent recorded"
                }
                Send-Paid $made[0].LinkId
                # A re-run adds a row between webhooks: the next webhook finds its link among the lines appended since.
                $rerun = @(New-TestRows 'AZWH' 3 | New-FinqLink -JournalPath $url -ErrorAction Stop)
                Send-Paid $rerun[2].LinkId
                Send-Paid $made[0].LinkId
                $journaled = @($job.Verbose | Where-Object Message -like 'Journal: *' | ForEach-Object Message)
                $events = @($job | Receive-Job -Wait -Verbose:$false 4>$null)
            }
            finally { $job | Remove-Job -Force }
            $events.IsDuplicate | Should -Be $false, $false, $true
            $journaled | Should -Be 'Journal: AZWH-1: created -> completed.', 'Journal: AZWH-3: created -> completed.', 'Journal: AZWH-1: stays completed (completed does not replace it).'
            # In the blob: each row's status line once, and each distinct webhook's digest once.
            $lines = @(Invoke-FinqLinkTestStorage $Azurite "`$service.GetBlobContainerClient('journals').GetBlobClient('webhooks.jsonl').DownloadContent().Value.Content.ToString()" |
                Where-Object { $_ } | ConvertFrom-Json)
            ($lines | Where-Object status -eq 'completed' | ForEach-Object key) | Should -Be 'ref:AZWH-1', 'ref:AZWH-3'
            @($lines | Where-Object state -eq 'webhook').Count | Should -Be 2
        }
        finally { $env:AZURE_STORAGE_CONNECTION_STRING = $null }
    }

    It 'resumes a run killed mid-run on another machine once the dead run''s lease lapses, and says so' {
        Invoke-FinqLinkSandbox SetFaults -Fault 'links/create:latency=50' | Out-Null
        $csv = New-TestCsv 'AZKILL' 300
        $url = Get-JournalUrl 'killed.jsonl'
        $victim = Start-StorageRun $csv $url (New-Machine 'a')
        Wait-SentLinks 'AZKILL' 40
        $victim.Process.Kill($true)
        $victim.Process.WaitForExit()
        Remove-FinqLinkKilledProcessFiles -ProcessId $victim.Process.Id
        $resumed = Wait-StorageRun (Start-StorageRun $csv $url (New-Machine 'b'))
        # On a loaded machine the next run may start after the lease lapsed; when it found it, it waited and said so.
        if (($resumed.Warnings -join "`n") -match 'leased by another run') {
            $resumed.Warnings -join "`n" | Should -Match 'leased by another run .*Waiting up to \d+ s for the lease to lapse'
            $resumed.Warnings -join "`n" | Should -Match 'lease lapsed after \d+ s; this run resumes its journal'
        }
        $resumed.Errors | Should -BeNullOrEmpty
        @($resumed.Outputs).Count | Should -Be 300
        Assert-OneLinkPerRow 'AZKILL' 300
    }

    It 'refuses a second run on a journal that a live run on another machine holds' {
        $url = Get-JournalUrl 'held.jsonl'
        $release = Join-Path $Work 'release-held'
        $holder = @'
Import-Module $env:TEST_MANIFEST -ErrorAction Stop
Connect-FinqLink
& { [pscustomobject]@{ InvoiceNumber = 'AZHELD-1'; Amount = '11.01'; Currency = 'RON'; Description = 'AZHELD-1' }
    while (-not (Test-Path $env:TEST_RELEASE)) { Start-Sleep -Milliseconds 100 }
    [pscustomobject]@{ InvoiceNumber = 'AZHELD-2'; Amount = '12.02'; Currency = 'RON'; Description = 'AZHELD-2' } } |
    New-FinqLink -JournalPath $env:TEST_JOURNAL -ErrorAction Stop | ForEach-Object { "created $($_.Reference)" }
'@
        $info = New-FinqLinkTestPwshStart -Argument '-NoProfile', '-NonInteractive', '-Command', $holder -Environment ($SandboxVariables + (New-Machine 'a'))
        $info.RedirectStandardOutput = $true
        $info.Environment['AZURE_STORAGE_CONNECTION_STRING'] = $Azurite.ConnectionString
        $info.Environment['TEST_MANIFEST'] = $Manifest
        $info.Environment['TEST_JOURNAL'] = $url
        $info.Environment['TEST_RELEASE'] = $release
        $first = [System.Diagnostics.Process]::Start($info)
        try {
            $output = $first.StandardOutput.ReadToEndAsync()
            Wait-SentLinks 'AZHELD' 1    # the first run holds the journal now, and waits for its second row
            $csv = New-TestCsv 'AZHELD2' 3
            $second = Wait-StorageRun (Start-StorageRun $csv $url (New-Machine 'b'))
            $second.Stopped.Id | Should -BeLike 'FinqLink.JournalInUse*'
            $second.Stopped.Message | Should -Match 'in use by another run \(.*process \d+.*\), which kept renewing its lease'
            # It waited a 15 s lease's patience (FINQLINK_TEST_LEASE_SECONDS) before it was refused, not the product's 30 s one.
            $second.Warnings -join "`n" | Should -Match 'Waiting up to 22 s for the lease to lapse: a run that died frees it within 15 s'
            (Get-SentLink 'AZHELD2').Count | Should -Be 0 -Because 'the refused run sends nothing'
            New-Item -ItemType File -Path $release | Out-Null
            $first.WaitForExit(60000) | Should -BeTrue
            $output.Result | Should -Match 'created AZHELD-2'
        }
        finally { if (-not $first.HasExited) { $first.Kill($true) } }
    }

    It 'refuses before sending anything when the storage cannot be reached' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $closedPort = $listener.LocalEndpoint.Port
        $listener.Stop()
        $env:AZURE_STORAGE_CONNECTION_STRING = $Azurite.ConnectionString -replace ":$($Azurite.Port)/", ":$closedPort/"
        try {
            $url = "http://127.0.0.1:$closedPort/finqlinktest/journals/unreachable.jsonl"
            { New-TestRows 'AZDOWN' 3 | New-FinqLink -JournalPath $url -ErrorAction Stop } |
                Should -Throw -ExpectedMessage '*unreachable.jsonl: the storage could not be reached to create the journal blob (*Nothing was sent.*'
            (Get-SentLink 'AZDOWN').Count | Should -Be 0
        }
        finally { $env:AZURE_STORAGE_CONNECTION_STRING = $null }
    }

    It 'says which credential an emulator URL needs when it has none' {
        { New-TestRows 'AZNOCRED' 2 | New-FinqLink -JournalPath (Get-JournalUrl 'no-credential.jsonl') -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*no-credential.jsonl: a journal over plain http (the emulator) needs a SAS in the URL or AZURE_STORAGE_CONNECTION_STRING*Nothing was sent.*'
        (Get-SentLink 'AZNOCRED').Count | Should -Be 0
    }

    It 'stops sending in a storage outage mid-run, and the re-run completes exactly once' {
        $own = Start-FinqLinkTestAzurite
        try {
            Invoke-FinqLinkSandbox SetFaults -Fault 'links/create:latency=50' | Out-Null
            $csv = New-TestCsv 'AZOUT' 300
            $url = Get-JournalUrl 'outage.jsonl' -On $own
            $run = Start-StorageRun $csv $url (New-Machine 'a') -On $own
            Wait-SentLinks 'AZOUT' 40
            Stop-FinqLinkTestAzurite $own -KeepData
            $cut = Wait-StorageRun $run
            $cut.Stopped | Should -Not -BeNullOrEmpty
            $cut.Summary.NotSent | Should -BeGreaterThan 0
            $cut.Summary.Created + $cut.Summary.NotSent + $cut.Summary.Failed + $cut.Summary.Ambiguous | Should -Be 300
            $own = Start-FinqLinkTestAzurite -DataPath $own.DataPath -AccountKey $own.AccountKey -Port $own.Port
            $rerun = Wait-StorageRun (Start-StorageRun $csv $url (New-Machine 'b') -On $own)
            $rerun.Errors | Should -BeNullOrEmpty
            @($rerun.Outputs).Count | Should -Be 300
            Assert-OneLinkPerRow 'AZOUT' 300
        }
        finally { Stop-FinqLinkTestAzurite $own }
    }

    It 'stops a run whose lease another run took after it lapsed; the rows it did not send are NotSent' {
        # Slow creates (300 rows at 500 ms, 8 at a time: about 19 s), so the run is still going when its lease is taken.
        Invoke-FinqLinkSandbox SetFaults -Fault 'links/create:latency=500' | Out-Null
        $csv = New-TestCsv 'AZLOST' 300
        $url = Get-JournalUrl 'lost.jsonl'
        $run = Start-StorageRun $csv $url (New-Machine 'a')
        Wait-SentLinks 'AZLOST' 16
        # What another run does once this run's lease has lapsed (renewals that did not get through): it takes the lease.
        $other = [guid]::NewGuid().ToString()
        Invoke-FinqLinkTestStorage $Azurite (@'
$blob = $service.GetBlobContainerClient('journals').GetBlobClient('lost.jsonl')
$lease = [Azure.Storage.Blobs.Specialized.SpecializedBlobExtensions]::GetBlobLeaseClient($blob, 'OTHER_RUN')
$null = $lease.Break([TimeSpan]::Zero)
$null = $lease.Acquire([TimeSpan]::FromSeconds(15))
'@.Replace('OTHER_RUN', $other)) | Out-Null
        $cut = Wait-StorageRun $run
        $cut.Stopped.Message | Should -Match 'lost.jsonl'
        $cut.Summary.NotSent | Should -BeGreaterThan 0
        Invoke-FinqLinkSandbox ClearFaults | Out-Null
        # That other run ends and frees the lease, as a run that ends does: the re-run takes the journal without waiting.
        Invoke-FinqLinkTestStorage $Azurite (@'
$blob = $service.GetBlobContainerClient('journals').GetBlobClient('lost.jsonl')
$null = [Azure.Storage.Blobs.Specialized.SpecializedBlobExtensions]::GetBlobLeaseClient($blob, 'OTHER_RUN').Release()
'@.Replace('OTHER_RUN', $other)) | Out-Null
        $rerun = Wait-StorageRun (Start-StorageRun $csv $url (New-Machine 'b'))
        $rerun.Warnings -join "`n" | Should -Not -Match 'leased by another run'
        $rerun.Errors | Should -BeNullOrEmpty
        @($rerun.Outputs).Count | Should -Be 300
        Assert-OneLinkPerRow 'AZLOST' 300
    }
}

Describe 'Storage credentials and journals edited by hand' {
    BeforeAll {
        $script:Sas = @{}
        $lines = Invoke-FinqLinkTestStorage $Azurite @'
$null = $service.GetBlobContainerClient('sas').CreateIfNotExists()
function Sas([string] $container, [string] $permissions, [TimeSpan] $expiresIn) {
    $builder = [Azure.Storage.Sas.BlobSasBuilder]::new()
    $builder.BlobContainerName = $container
    $builder.Resource = 'c'
    $builder.StartsOn = [DateTimeOffset]::UtcNow.AddMinutes(-5)
    $builder.ExpiresOn = [DateTimeOffset]::UtcNow.Add($expiresIn)
    $builder.SetPermissions($permissions)
    $builder.ToSasQueryParameters($key).ToString()
}
"full=" + (Sas 'sas' 'racwl' ([TimeSpan]::FromHours(1)))
"readonly=" + (Sas 'sas' 'r' ([TimeSpan]::FromHours(1)))
"expired=" + (Sas 'sas' 'racw' ([TimeSpan]::FromMinutes(-1)))
"nocontainer=" + (Sas 'missing' 'racwl' ([TimeSpan]::FromHours(1)))
'@
        foreach ($line in $lines) { $name, $value = $line -split '=', 2; $Sas[$name] = $value }
        $env:AZURE_STORAGE_CONNECTION_STRING = $null
    }

    It 'uses a SAS in the URL and never shows its signature' {
        $url = (Get-JournalUrl 'with-sas.jsonl' 'sas') + '?' + $Sas.full
        $output = New-TestRows 'AZSAS' 3 | New-FinqLink -JournalPath $url -Verbose -ErrorAction Stop 4>&1 3>&1
        @($output | Where-Object LinkId).Count | Should -Be 3
        $signature = [uri]::UnescapeDataString(($Sas.full -split '&' | Where-Object { $_ -like 'sig=*' }) -replace '^sig=')
        ($output | Out-String) | Should -Not -Match ([regex]::Escape($signature))
        ($output | Out-String) | Should -Match 'credential the SAS in the URL'
    }

    It 'turns a 403 into an error naming what is missing: <Case>' -ForEach @(
        @{ Case = 'a read-only SAS'; Sas = 'readonly'; Expected = "*the storage refused to create the journal blob (403 *the SAS lacks 'a' (add), 'c' (create), 'w' (write)*Nothing was sent.*" }
        @{ Case = 'an expired SAS'; Sas = 'expired'; Expected = '*the storage refused to create the journal blob (403 *the SAS expired at 20*Nothing was sent.*' }
    ) {
        $url = (Get-JournalUrl "refused-$Sas.jsonl" 'sas') + '?' + $Script:Sas[$Sas]
        $failure = { New-TestRows "AZ403$Sas" 2 | New-FinqLink -JournalPath $url -ErrorAction Stop } | Should -Throw -ExpectedMessage $Expected -PassThru
        $failure.TargetObject | Should -Be (Get-JournalUrl "refused-$Sas.jsonl" 'sas')
        ($failure | Out-String) + $failure.Exception.ToString() | Should -Not -Match 'sig='
        (Get-SentLink "AZ403$Sas").Count | Should -Be 0
    }

    It 'refuses a missing container that the credential may not create' {
        $url = (Get-JournalUrl 'j.jsonl' 'missing') + '?' + $Sas.nocontainer
        { New-TestRows 'AZNOCONT' 2 | New-FinqLink -JournalPath $url -ErrorAction Stop } |
            Should -Throw -ExpectedMessage "*the container 'missing' does not exist, and the credential (the SAS in the URL) may not create it*"
        (Get-SentLink 'AZNOCONT').Count | Should -Be 0
    }

    It 'repairs and reports a torn last line written by hand, once' {
        $env:AZURE_STORAGE_CONNECTION_STRING = $Azurite.ConnectionString
        try {
            $url = Get-JournalUrl 'torn.jsonl'
            $null = New-TestRows 'AZTORN' 4 | New-FinqLink -JournalPath $url -ErrorAction Stop
            Invoke-FinqLinkTestStorage $Azurite @'
$blob = [Azure.Storage.Blobs.Specialized.SpecializedBlobExtensions]::GetAppendBlobClient($service.GetBlobContainerClient('journals'), 'torn.jsonl')
$null = $blob.AppendBlock([IO.MemoryStream]::new([Text.Encoding]::UTF8.GetBytes('{"key":"ref:AZTORN-9","sta')))
'@ | Out-Null
            $output = New-TestRows 'AZTORN' 4 | New-FinqLink -JournalPath $url -ErrorAction Stop 3>&1
            ($output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }) -join "`n" | Should -Match 'Journal repaired: line 10 of .*torn.jsonl was incomplete .* is ignored from now on'
            @($output | Where-Object { $_ -isnot [System.Management.Automation.WarningRecord] -and $_.FromJournal }).Count | Should -Be 4
            $third = New-TestRows 'AZTORN' 4 | New-FinqLink -JournalPath $url -ErrorAction Stop 3>&1
            @($third | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }).Count | Should -Be 0 -Because 'the repair is reported once'
            @($third | Where-Object FromJournal).Count | Should -Be 4
            Assert-OneLinkPerRow 'AZTORN' 4
        }
        finally { $env:AZURE_STORAGE_CONNECTION_STRING = $null }
    }

    It 'refuses a journal replaced by hand with another kind of blob' {
        $env:AZURE_STORAGE_CONNECTION_STRING = $Azurite.ConnectionString
        try {
            $url = Get-JournalUrl 'replaced.jsonl'
            $null = New-TestRows 'AZREPL' 2 | New-FinqLink -JournalPath $url -ErrorAction Stop
            Invoke-FinqLinkTestStorage $Azurite @'
$blob = $service.GetBlobContainerClient('journals').GetBlobClient('replaced.jsonl')
$text = $blob.DownloadContent().Value.Content.ToString()
$null = $blob.Upload([BinaryData]::FromString($text), $true)
'@ | Out-Null
            { New-TestRows 'AZREPL' 2 | New-FinqLink -JournalPath $url -ErrorAction Stop } |
                Should -Throw -ExpectedMessage '*replaced.jsonl is a block blob, not an append blob: it was replaced by hand*'
            Assert-OneLinkPerRow 'AZREPL' 2
        }
        finally { $env:AZURE_STORAGE_CONNECTION_STRING = $null }
    }
}

Describe 'Azurite for the tests' {
    It 'ends when the pwsh that started it is killed, and removes its data folder' {
        $pidFile = Join-Path $Work 'azurite-pid'
        $starter = @"
Import-Module '$(Join-Path $PSScriptRoot 'FinqLink.Azurite.psm1')'
`$az = Start-FinqLinkTestAzurite
Set-Content -Path '$pidFile' -Value "`$(`$az.Process.Id)|`$(`$az.DataPath)"
Start-Sleep -Seconds 300
"@
        $pwsh = [System.Diagnostics.Process]::Start((New-FinqLinkTestPwshStart -Argument '-NoProfile', '-NonInteractive', '-Command', $starter))
        $deadline = [DateTime]::UtcNow.AddSeconds(90)
        # Set-Content creates the file before it writes the line: wait for the line, not for the file.
        while ("$(Get-Content $pidFile -Raw -ErrorAction Ignore)" -notmatch '\|' -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        $azuritePid, $dataPath = (Get-Content $pidFile -Raw).Trim() -split '\|'
        $azurite = Get-Process -Id $azuritePid
        $pwsh.Kill()
        $azurite.WaitForExit(30000) | Should -BeTrue -Because 'Azurite ends when its starter''s end of the pipe closes'
        Remove-FinqLinkKilledProcessFiles -ProcessId $pwsh.Id
        Test-Path $dataPath | Should -BeFalse
    }
}
