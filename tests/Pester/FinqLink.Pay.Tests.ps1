#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'FinqLink.TestHelpers.psm1') -Force
    Import-FinqLinkUnderTest
    $script:Sandbox = Start-FinqLinkTestSandbox
    $Sandbox | Connect-FinqLink
}

AfterAll {
    Disconnect-FinqLink -ErrorAction SilentlyContinue
    if ($script:Sandbox) { $script:Sandbox | Stop-FinqLinkSandbox }
}

Describe 'Sessions' {
    It 'shows where and how it connects, never the secret' {
        $session = Get-FinqSession
        $session.ClientId | Should -Be 'demo'
        $session.AuthMethod | Should -Be 'ClientSecret'
        ($session | Format-List * | Out-String) | Should -Not -Match 'demo-secret'
    }

    It 'refuses to run without a session' {
        $other = [powershell]::Create()
        try {
            $other.AddScript('Import-Module $args[0]; Get-FinqLink -First 1').AddArgument((Get-FinqLinkTestManifest)).Invoke() | Out-Null
            $other.Streams.Error[0].FullyQualifiedErrorId | Should -BeLike 'FinqLink.NotConnected*'
        }
        finally { $other.Dispose() }
    }
}

Describe 'Get-FinqProvider' {
    It 'lists the sandbox banks with remitter types as arrays' {
        $providers = Get-FinqProvider -IncludePaymentMethods
        $providers.ProviderId | Should -Contain 'bt_ro'
        ($providers | Where-Object ProviderId -eq 'bt_ro').PaymentMethods[0].RemitterType.GetType().IsArray | Should -BeTrue
    }
}

Describe 'The bulk CSV workflow' {
    BeforeAll {
        $script:Work = Join-Path ([IO.Path]::GetTempPath()) "finqlink-pester-$([guid]::NewGuid().ToString('N'))"
        New-Item -ItemType Directory -Path $Work | Out-Null
        @'
InvoiceNumber,Amount,Currency,Beneficiary,Iban,Description
INV-001,150.00,RON,ACME SRL,RO10RZBR0000069999999970,Invoice 1
INV-002,99.90,EUR,ACME SRL,RO10RZBR0000069999999970,Invoice 2
INV-003,12.50,RON,ACME SRL,RO10RZBR0000069999999971,Bad IBAN
INV-004,20,RON,ACME SRL,RO10RZBR0000069999999970,Invoice 4
'@ | Set-Content -Path (Join-Path $Work 'invoices.csv')
    }

    AfterAll { Remove-Item $Work -Recurse -Force -ErrorAction SilentlyContinue }

    It 'creates one link per good row, reports the bad row with its id, and exports to CSV' {
        $journal = Join-Path $Work 'invoices.journal.jsonl'
        Import-Csv (Join-Path $Work 'invoices.csv') |
            New-FinqLink -JournalPath $journal -ErrorVariable rowErrors -ErrorAction SilentlyContinue |
            Select-Object Reference, LinkId, Status, WebUrl |
            Export-Csv (Join-Path $Work 'links.csv') -NoTypeInformation
        $links = Import-Csv (Join-Path $Work 'links.csv')
        $links.Count | Should -Be 3
        ($links.Reference | Sort-Object) | Should -Be @('INV-001', 'INV-002', 'INV-004') -Because 'results carry the row reference'
        $rowErrors.Count | Should -Be 1
        $rowErrors[0].FullyQualifiedErrorId | Should -BeLike 'FinqLink.InvalidInput.CreditorIban*'
        $rowErrors[0].TargetObject.InvoiceNumber | Should -Be 'INV-003'
    }

    It 're-running with the same journal creates nothing twice' {
        $journal = Join-Path $Work 'invoices.journal.jsonl'
        $before = (Get-FinqLinkSandboxStats).links_created
        $again = Import-Csv (Join-Path $Work 'invoices.csv') | New-FinqLink -JournalPath $journal -ErrorAction SilentlyContinue
        $again.Count | Should -Be 3
        $again.FromJournal | Should -Not -Contain $false
        (Get-FinqLinkSandboxStats).links_created | Should -Be $before
    }

    It '-WhatIf sends nothing' {
        $before = (Get-FinqLinkSandboxStats).links_created
        New-FinqLink -Amount 10 -Currency RON -WhatIf
        (Get-FinqLinkSandboxStats).links_created | Should -Be $before
    }

    It '-WhatIf shows each row by its reference with the exact body it would send, with no session' {
        $shown = Invoke-FinqLinkTestPwsh -Command @"
Import-Module '$(Get-FinqLinkTestManifest)'
[pscustomobject]@{ InvoiceNumber = 'WI-1'; Amount = '1250.5'; Currency = 'RON' }, [pscustomobject]@{ Amount = '7'; Currency = 'EUR' } | New-FinqLink -WhatIf
"@
        $shown | Should -Contain 'What if: WI-1: POST links/create {"single_transfer":{"amount":"1250.50","currency":"RON"}}'
        $shown | Should -Contain 'What if: row 2: POST links/create {"single_transfer":{"amount":"7.00","currency":"EUR"}}'
    }

    It 'raises catchable errors with stable ids' {
        { New-FinqLink -Amount 10.001 -Currency RON -ErrorAction Stop } | Should -Throw -ErrorId 'FinqLink.InvalidInput.Amount*'
        { Get-FinqLink -LinkId ('0' * 36) -ErrorAction Stop } | Should -Throw -ErrorId 'FinqLink.Api.*'
    }
}

Describe 'Paging, waits and QR codes' {
    BeforeAll {
        1..12 | ForEach-Object { [pscustomobject]@{ Amount = $_; Currency = 'RON'; Reference = "PAGE-$_-$([guid]::NewGuid().ToString('N').Substring(0, 6))" } } | New-FinqLink | Out-Null
    }

    It 'Select-Object -First 5 stops after one page' {
        $before = (Get-FinqLinkSandboxStats).requests
        $five = Get-FinqLink -PageSize 5 | Select-Object -First 5
        $five.Count | Should -Be 5
        ((Get-FinqLinkSandboxStats).requests - $before) | Should -BeLessOrEqual 2 -Because 'one list page (plus the stats call itself)'
    }

    It '-First and -Skip page like the rest of PowerShell' {
        $all = Get-FinqLink -First 8
        (Get-FinqLink -Skip 3 -First 5).LinkId | Should -Be $all[3..7].LinkId
    }

    It 'waits for a link the payer completes' {
        $link = New-FinqLink -Amount 42 -Currency RON
        Invoke-FinqLinkSandbox ApproveLink $link.LinkId -ProviderId bt_ro | Out-Null
        ($link | Wait-FinqLink -TimeoutSec 30 -PollIntervalSec 0.2).Status | Should -Be 'completed'
    }

    It 'tells what to open for links no payer has opened, by their reference, and names the reference when time runs out' {
        $tag = [guid]::NewGuid().ToString('N').Substring(0, 6)
        $links = @(1..3 | ForEach-Object { [pscustomobject]@{ Amount = "3$_"; Currency = 'RON'; Reference = "ANN-$_-$tag" } } | New-FinqLink)
        $links[1] | Invoke-FinqLinkSandbox ApproveLink -ProviderId bt_ro | Out-Null
        $links[2] | Invoke-FinqLinkSandbox RejectLink | Out-Null
        # Until the bank has answered for the two acted on (a generous deadline: a loaded machine is slow), so the
        # 2-second wait below tests only the one nobody opened.
        $links[1..2] | Wait-FinqLink -TimeoutSec 120 -PollIntervalSec 0.1 -ErrorAction Stop 6>$null | Out-Null
        $done = @($links | Wait-FinqLink -TimeoutSec 2 -PollIntervalSec 0.2 -InformationVariable told -ErrorVariable late -ErrorAction SilentlyContinue 6>$null)
        $done.Reference | Sort-Object | Should -Be "ANN-2-$tag", "ANN-3-$tag"
        $opens = @($told | ForEach-Object { "$($_.MessageData)" } | Where-Object { $_ -like '*open http*' })
        $opens | Should -Be "Waiting for payment links: open $($links[0].WebUrl) to act on ANN-1-$tag ($($links[0].LinkId))."
        $late.Exception.Message | Should -BeLike "ANN-1-$tag ($($links[0].LinkId)): still 'created' after 2 s*"
    }

    It 'waits past completed for settlement at libra_ro, as Wait-FinqLink example 2 is written' {
        $link = New-FinqLink -Amount 43 -Currency RON
        Invoke-FinqLinkSandbox ApproveLink $link.LinkId -ProviderId libra_ro | Out-Null
        $id = $link.LinkId
        (Wait-FinqLink -LinkId $id -Status funds_received, funds_rejected -TimeoutSec 30 -PollIntervalSec 0.1).Status | Should -Be 'funds_received'

        $rejected = New-FinqLink -Amount 44 -Currency RON
        Invoke-FinqLinkSandbox ApproveLink $rejected.LinkId -ProviderId libra_ro -Scenario funds_rejected | Out-Null
        ($rejected | Wait-FinqLink -Status funds_received, funds_rejected -TimeoutSec 30 -PollIntervalSec 0.1).Status | Should -Be 'funds_rejected'
    }

    It 'writes QR codes' {
        $folder = Join-Path ([IO.Path]::GetTempPath()) "finqlink-qr-$([guid]::NewGuid().ToString('N'))"
        try {
            $file = New-FinqLink -Amount 5 -Currency RON -Reference 'QR-1' | Export-FinqLinkQrCode -Path $folder
            $file.Name | Should -Be 'QR-1.png'
            $file.Length | Should -BeGreaterThan 100
        }
        finally { Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue }
    }

    It 'Invoke-FinqRequest reaches any operation' {
        (Invoke-FinqRequest providers/list).providers.provider_id | Should -Contain 'cec_ro'
    }
}

Describe 'Waits at scale and through outages' {
    It 'reads 1,000 links in a round with a few list pages, not a links/get each' {
        $rows = 1..1000 | ForEach-Object { [pscustomobject]@{ Amount = '1.00'; Currency = 'RON'; Reference = "SCALE-$_-$([guid]::NewGuid().ToString('N').Substring(0, 8))" } }
        $links = @($rows | New-FinqLink)
        $links.Count | Should -Be 1000
        $links | Invoke-FinqLinkSandbox ApproveLink -ProviderId bt_ro | Out-Null
        # Until every bank step finished (as long as it takes), so the wait measured below finds them final in one round.
        $links | Wait-FinqLink -TimeoutSec 300 -PollIntervalSec 0.5 -ErrorAction Stop | Out-Null

        $before = (Get-FinqLinkSandboxStats).requests
        $done = @($links | Wait-FinqLink -TimeoutSec 120 -PollIntervalSec 1)
        $requests = (Get-FinqLinkSandboxStats).requests - $before - 1   # less the stats call itself
        $done.Count | Should -Be 1000
        @($done | Where-Object Status -ne 'completed') | Should -BeNullOrEmpty
        ($done.Reference | Sort-Object) | Should -Be ($links.Reference | Sort-Object) -Because 'each link keeps its row''s reference'
        Write-Host "    a wait over 1,000 final links: $requests requests in its one round (one links/get each would be 1,000)"
        $requests | Should -BeLessOrEqual 25
    }

    It 'rides out a 10-second outage of the API and finishes normally' {
        $link = New-FinqLink -Amount 46 -Currency RON
        Invoke-FinqLinkSandbox SetFaults -Fault '*:fail-before=1' | Out-Null
        $link | Invoke-FinqLinkSandbox ApproveLink -ProviderId bt_ro | Out-Null
        $faults = "$($Sandbox.BaseUri)sandbox/faults"
        # The outage lasts ten seconds from now, however late the job that ends it starts (this is its length, not a wait
        # for something to be ready).
        $outageEnds = [DateTime]::UtcNow.AddSeconds(10)
        $restore = Start-ThreadJob { $left = $using:outageEnds - [DateTime]::UtcNow; if ($left -gt 0) { Start-Sleep -Duration $left }; Invoke-RestMethod -Method Delete $using:faults }
        try {
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $done = $link | Wait-FinqLink -TimeoutSec 60 -PollIntervalSec 0.5 -ErrorVariable waitErrors
            $clock.Stop()
        }
        finally { $restore | Wait-Job | Remove-Job -Force }
        $waitErrors | Should -BeNullOrEmpty
        $done.Status | Should -Be 'completed'
        $clock.Elapsed.TotalSeconds | Should -BeGreaterThan 9 -Because 'every read failed for ten seconds'
        (Get-FinqLinkSandboxStats).faults_injected | Should -BeGreaterThan 0
        Write-Host "    a wait through a 10 s outage finished after $([int]$clock.Elapsed.TotalSeconds) s"
    }
}

Describe 'Tab completion' {
    It '<Line> completes <Expected>' -ForEach @(
        @{ Line = 'New-FinqLink -ProviderId '; Expected = 'bt_ro' }
        @{ Line = 'New-FinqConsent -ProviderId '; Expected = 'cec_ro' }
        @{ Line = 'Get-FinqProvider -ProviderId '; Expected = 'rzb_ro' }
        @{ Line = 'Invoke-FinqLinkSandbox ApproveLink -ProviderId '; Expected = 'libra_ro' }
        @{ Line = 'New-FinqLink -Currency '; Expected = 'RON' }
        @{ Line = 'Invoke-FinqLinkSandbox '; Expected = 'ApproveLink' }
    ) {
        $completions = (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText
        $completions | Should -Contain $Expected
    }
}
