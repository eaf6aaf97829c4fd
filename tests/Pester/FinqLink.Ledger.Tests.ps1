#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# The journal as the run's ledger (#23), as an admin uses it: who paid, what is open, totals, exports a bookkeeper can
# open, and webhooks that keep the ledger current. Request counts come from the sandbox's own counter.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'FinqLink.TestHelpers.psm1') -Force
    Import-FinqLinkUnderTest
    $script:Sandbox = Start-FinqLinkTestSandbox
    Connect-FinqLink -BaseUri $Sandbox.BaseUri -ClientId demo -ClientSecret $Sandbox.ClientSecret
    $script:Session = Get-FinqSession
    $script:Manifest = Get-FinqLinkTestManifest
    $script:Work = New-FinqLinkTestFolder
    # What Export-Csv writes of a link and of a ledger row: the columns a person reads, nothing internal.
    $script:LinkColumns = 'Reference', 'Amount', 'Currency', 'Status', 'CreatedAt', 'ExpiresAt', 'LinkId', 'WebUrl', 'RemittanceInformation'
    $script:LedgerColumns = 'Reference', 'Amount', 'Currency', 'Status', 'StatusChangedAt', 'ExpiresAt', 'LinkId', 'WebUrl', 'RemittanceInformation', 'Problem'

    # Runs $Script with the culture a user of that country has, and gives the old one back.
    function Use-Culture([string] $Name, [scriptblock] $Script) {
        $saved = [cultureinfo]::CurrentCulture
        [cultureinfo]::CurrentCulture = $Name
        try { & $Script } finally { [cultureinfo]::CurrentCulture = $saved }
    }

    # The API requests the sandbox answered while $Script ran.
    function Measure-ApiRequests([scriptblock] $Script) {
        $before = (Invoke-FinqLinkSandbox GetStats).requests
        $null = & $Script
        (Invoke-FinqLinkSandbox GetStats).requests - $before
    }

    function New-Invoices([string] $Prefix, [int] $Count) {
        1..$Count | ForEach-Object {
            [pscustomobject]@{ InvoiceNumber = '{0}-{1:000}' -f $Prefix, $_; Amount = "$(1000 + $_).50"; Currency = 'EUR'; Description = "Rechnung $_" }
        }
    }

    function Start-Receiver([hashtable] $Parameters) { Start-FinqLinkTestReceiver $Manifest $Session $Parameters }

    # The Done-when run of #23, made once under de-DE: 30 invoices from a CSV, 10 paid, 5 failed at the bank, 15 open.
    $script:DoneJournal = Join-Path $Work 'invoices.journal'
    $script:InvoicesCsv = Join-Path $Work 'invoices.csv'
    Use-Culture de-DE {
        New-Invoices 'RE-2026' 30 | Export-Csv $InvoicesCsv
        $script:Made = @(Import-Csv $InvoicesCsv | New-FinqLink -JournalPath $DoneJournal -ErrorAction Stop)
    }
    foreach ($link in $Made[0..9]) { Invoke-FinqLinkSandbox ApproveLink $link.LinkId | Out-Null }
    foreach ($link in $Made[10..14]) { Invoke-FinqLinkSandbox ApproveLink $link.LinkId -Scenario failed | Out-Null }
    # The bank's steps take the sandbox a moment: wait for them on the API, before the ledger is read.
    $Made[0..14] | Wait-FinqLink -Status completed, failed -TimeoutSec 60 -PollIntervalSec 0.2 | Out-Null
}

AfterAll {
    Disconnect-FinqLink -ErrorAction SilentlyContinue
    if ($script:Sandbox) { $script:Sandbox | Stop-FinqLinkSandbox }
    if ($script:Work) { Remove-Item $script:Work -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'Get-FinqLink -JournalPath (the ledger)' {
    It 'lists the 30 invoices with their reference, amount and status in at most 6 requests, under de-DE' {
        Use-Culture de-DE {
            $requests = Measure-ApiRequests { $script:Ledger = @(Get-FinqLink -JournalPath $DoneJournal -SummaryVariable totals); $script:Totals = $totals }
            $requests | Should -BeLessOrEqual 6
            $requests | Should -Be 1 -Because '30 links are one links/list page of 250'
            $invoices = @(Import-Csv $InvoicesCsv)
            $Ledger.Count | Should -Be 30
            $Ledger.Reference | Should -Be $invoices.InvoiceNumber -Because 'rows come in input order'
            $Ledger | ForEach-Object { "$($_.Amount)" } | Should -Be $invoices.Amount
            $Ledger[0].Amount | Should -BeOfType [decimal]
            $Ledger.RemittanceInformation | Should -Be $invoices.Description
            $Ledger[0..9].Status | Sort-Object -Unique | Should -Be 'completed'
            $Ledger[10..14].Status | Sort-Object -Unique | Should -Be 'failed'
            $Ledger[15..29].Status | Sort-Object -Unique | Should -Be 'created'
            $Ledger.LinkId | Should -Be $Made.LinkId
            $Ledger[0].StatusChangedAt | Should -Not -BeNullOrEmpty
            $eur = $Totals | Where-Object Currency -eq 'EUR'
            $eur.Rows, $eur.Links, $eur.Paid, $eur.Failed, $eur.Open, $eur.Expired | Should -Be 30, 30, 10, 5, 15, 0
            $eur.AmountPaid | Should -Be ([decimal]10060.00) -Because '1001.50 + … + 1010.50'
            $eur.AmountPaid | Should -BeOfType [decimal]
            $eur.AmountOpen | Should -Be ([decimal](1016..1030 | ForEach-Object { [decimal]$_ + 0.5 } | Measure-Object -Sum).Sum)
        }
    }

    It 'records the statuses it learned in the journal: a second reading asks nothing about final links' {
        $lines = @(Get-Content $DoneJournal | ConvertFrom-Json | Where-Object { $_.status -in 'completed', 'failed' })
        $lines.Count | Should -Be 15
        $lines[0].status_at | Should -Not -BeNullOrEmpty
        Get-FinqLink -JournalPath $DoneJournal | Out-Null
        @(Get-Content $DoneJournal | ConvertFrom-Json | Where-Object { $_.status -in 'completed', 'failed' }).Count | Should -Be 15 -Because 'nothing changed, so nothing is written again'
    }

    It 'filters by -Status and -Open, and the summary still counts every row' {
        @(Get-FinqLink -JournalPath $DoneJournal -Status completed).Reference | Should -Be $Made[0..9].Reference
        @(Get-FinqLink -JournalPath $DoneJournal -Status completed, failed).Count | Should -Be 15
        @(Get-FinqLink -JournalPath $DoneJournal -Open -SummaryVariable open).Reference | Should -Be $Made[15..29].Reference
        $open.Rows | Should -Be 30
    }

    It 'lists rows that never got a link, with why' {
        $journal = Join-Path $Work 'refused.journal'
        $rows = @(
            [pscustomobject]@{ Reference = 'OK-1'; Amount = '12.50'; Currency = 'RON' }
            [pscustomobject]@{ Reference = 'BAD-1'; Amount = '12,50'; Currency = 'RON' }
        )
        $rows | New-FinqLink -JournalPath $journal -ErrorAction SilentlyContinue | Out-Null
        $ledger = @(Get-FinqLink -JournalPath $journal)
        $ledger.Reference | Should -Be 'OK-1', 'BAD-1'
        $ledger[1].LinkId | Should -BeNullOrEmpty
        $ledger[1].Problem | Should -Match "^Refused: .*amount.*'12,50'"
        ($ledger | Format-Table | Out-String -Width 79) | Should -Match 'BAD-1\s+\(no link\)'
    }

    It 'reads statuses for 260 rows in ceil(260 / 250) + 2 requests at most' {
        $journal = Join-Path $Work 'many.journal'
        New-Invoices 'MANY' 260 | New-FinqLink -JournalPath $journal -ErrorAction Stop | Out-Null
        $requests = Measure-ApiRequests { $script:Many = @(Get-FinqLink -JournalPath $journal -Verbose 4>&1) }
        $requests | Should -BeLessOrEqual ([Math]::Ceiling(260 / 250) + 2)
        @($Many | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like '*statuses read in 2 requests (2 links/list pages*' }).Count | Should -Be 1
        @($Many | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }).Count | Should -Be 260
    }

    It 'says so when there is no journal at the path' {
        { Get-FinqLink -JournalPath (Join-Path $Work 'missing.journal') -ErrorAction Stop } | Should -Throw -ErrorId 'FinqLink.InvalidInput.JournalPath,*'
        Join-Path $Work 'missing.journal' | Should -Not -Exist
    }
}

Describe 'Links keep their invoice' {
    It 'keeps reference and amount when New-FinqLink''s output is piped into Get-FinqLink' {
        $read = @($Made[0..2] | Get-FinqLink)
        $read.Reference | Should -Be $Made[0..2].Reference
        $read.Amount | Should -Be $Made[0..2].Amount
        $read[0].Amount | Should -BeOfType [decimal]
        $read[0].Status | Should -Be 'completed' -Because 'the status is the API''s, read now'
    }

    It 'keeps them from a CSV of New-FinqLink''s output, amount read as written' {
        $csv = Join-Path $Work 'links-keep.csv'
        $Made[0..1] | Export-Csv $csv
        $read = @(Import-Csv $csv | Get-FinqLink)
        $read.Reference | Should -Be $Made[0..1].Reference
        "$($read[0].Amount)" | Should -Be '1001.50'
        $read.RemittanceInformation | Should -Be 'Rechnung 1', 'Rechnung 2'
    }
}

Describe 'Exports a bookkeeper can use' {
    It 'round-trips the <Export> through Export-Csv, Import-Csv and New-FinqLink on the same journal under <Culture>' -ForEach @(
        @{ Culture = 'en-US'; Export = 'ledger' }, @{ Culture = 'de-DE'; Export = 'ledger' }, @{ Culture = 'ro-RO'; Export = 'ledger' }
        @{ Culture = 'en-US'; Export = 'links' }, @{ Culture = 'de-DE'; Export = 'links' }, @{ Culture = 'ro-RO'; Export = 'links' }
    ) {
        Use-Culture $Culture {
            $csv = Join-Path $Work "$Export-$Culture.csv"
            $rows = if ($Export -eq 'ledger') { Get-FinqLink -JournalPath $DoneJournal } else { $Made }
            $rows | Export-Csv $csv
            $text = Get-Content $csv
            # The columns a person reads, and none of the internal ones.
            $columns = $text[0].Trim('"') -split '","'
            $columns | Should -Be $(if ($Export -eq 'ledger') { $LedgerColumns } else { $LinkColumns })
            $text[0] | Should -Not -Match 'RequestId|AdditionalProperties|WebId|IsExpired|ApiClientApp|PaymentMethod|ServiceProvider|FromJournal|SupersededLinkIds|Keyset|IsFinal'
            $text[1] | Should -Match '^"RE-2026-001","1001\.50","EUR",'
            $text[1] | Should -Match '"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"'
            $again = @(Import-Csv $csv | New-FinqLink -JournalPath $DoneJournal -ErrorVariable failed)
            $failed | Should -BeNullOrEmpty
            $again.Count | Should -Be 30
            $again.FromJournal | Sort-Object -Unique | Should -Be $true
            $again.LinkId | Should -Be $Made.LinkId
            $again | ForEach-Object { "$($_.Amount)" } | Should -Be (Import-Csv $InvoicesCsv).Amount
            # None changed: every column a person reads is the journal's, as New-FinqLink wrote it the first time.
            $asMade = $Made | ForEach-Object { '{0}|{1}|{2}|{3}|{4}|{5}' -f $_.Reference, $_.Amount, $_.Currency, $_.LinkId, $_.WebUrl, $_.ExpiresAt }
            $again | ForEach-Object { '{0}|{1}|{2}|{3}|{4}|{5}' -f $_.Reference, $_.Amount, $_.Currency, $_.LinkId, $_.WebUrl, $_.ExpiresAt } | Should -Be $asMade
        }
    }

    It 'lists only the people columns of New-FinqLink''s links, and keeps every other property by name' {
        $link = $Made[0]
        @($link.PSObject.Properties.Name) | Should -Be $LinkColumns
        @(($link | Select-Object -Property *).PSObject.Properties.Name) | Should -Be $LinkColumns
        $link.PSObject.TypeNames[0] | Should -Be 'FinqLink.Models.PaymentLink'
        # Scripts still read the internal properties by name, and Where-Object still filters on them.
        $link.WebId | Should -Not -BeNullOrEmpty
        $link.FromJournal | Should -BeFalse
        $link.PSObject.BaseObject.WebId | Should -Be $link.WebId
        @($Made | Where-Object { $_.RequestId }).Count | Should -Be 30
        # Every property the link has is there by name (PaymentLinkView mirrors them all, hidden from listings).
        $view = $link.PSObject.BaseObject.GetType()
        foreach ($property in $link.PSObject.BaseObject.AsPaymentLink().GetType().GetProperties()) {
            $view.GetProperty($property.Name) | Should -Not -BeNullOrEmpty -Because "`$link.$($property.Name) must still work"
        }
    }

    It 'writes amounts with the currency''s minor digits' {
        $journal = Join-Path $Work 'minor.journal'
        $made = @([pscustomobject]@{ Reference = 'JPY-1'; Amount = 100; Currency = 'JPY' }, [pscustomobject]@{ Reference = 'RON-1'; Amount = 1250.5; Currency = 'RON' } |
            New-FinqLink -JournalPath $journal -ErrorAction Stop)
        $csv = @($made | ConvertTo-Csv) + @(Get-FinqLink -JournalPath $journal | ConvertTo-Csv)
        $csv | Should -Contain ($csv | Where-Object { $_ -like '"JPY-1","100","JPY",*' } | Select-Object -First 1)
        @($csv | Where-Object { $_ -like '"JPY-1","100","JPY",*' }).Count | Should -Be 2
        @($csv | Where-Object { $_ -like '"RON-1","1250.50","RON",*' }).Count | Should -Be 2
    }
}

Describe 'Receive-FinqWebhook -JournalPath' {
    It 'records status webhooks of the journal''s links once, lets others through, and leaves the journal to New-FinqLink between webhooks' {
        $journal = Join-Path $Work 'webhooks.journal'
        $made = @(1..2 | ForEach-Object { [pscustomobject]@{ Reference = "WH-$_"; Amount = '10.00'; Currency = 'RON' } } | New-FinqLink -JournalPath $journal -ErrorAction Stop)
        $outsider = New-FinqLink -Amount 7.31 -Currency RON
        $port = Get-FreePort
        $url = "http://127.0.0.1:$port/"
        $job = Start-Receiver @{ Port = $port; JournalPath = $journal; Count = 3; TimeoutSec = 60 }
        try {
            $paid = @{ type = 'link_status_update'; id = $made[0].LinkId; status = 'completed'; url = $url }
            $sent = 0
            foreach ($body in $paid, $paid, @{ type = 'link_status_update'; id = $outsider.LinkId; status = 'completed'; url = $url }) {
                Invoke-FinqLinkSandbox TriggerWebhook -Body $body | Out-Null
                $sent++
                Wait-JobStream $job $job.Output { $args[0].Count -ge $sent } "event $sent"
                if ($sent -eq 1) {
                    # The listener is running: a re-run of the bulk run still gets the journal.
                    $rerun = @($made | Select-Object Reference, Amount, Currency | New-FinqLink -JournalPath $journal -ErrorAction Stop)
                    $rerun.FromJournal | Should -Be $true, $true
                }
            }
            $events = @($job | Receive-Job -Wait)
        }
        finally { $job | Remove-Job -Force }
        $events.LinkId | Should -Be $made[0].LinkId, $made[0].LinkId, $outsider.LinkId
        $events.IsDuplicate | Should -Be $false, $true, $false
        $lines = @(Get-Content $journal | ConvertFrom-Json)
        @($lines | Where-Object { $_.key -eq 'ref:WH-1' -and $_.status -eq 'completed' }).Count | Should -Be 1 -Because 'a redelivery changes nothing twice'
        @($lines | Where-Object { $_.link_id -eq $outsider.LinkId -and $_.key -like 'ref:*' }).Count | Should -Be 0
        @($lines | Where-Object state -eq 'webhook').Count | Should -Be 2 -Because 'each distinct webhook taken is remembered once'

        # A new listener on the same journal knows the webhook was taken before.
        $job = Start-Receiver @{ Port = $port; JournalPath = $journal; Count = 1; TimeoutSec = 60 }
        try {
            Invoke-FinqLinkSandbox TriggerWebhook -Body $paid | Out-Null
            $again = @($job | Receive-Job -Wait)
        }
        finally { $job | Remove-Job -Force }
        $again.IsDuplicate | Should -Be $true
    }
}
