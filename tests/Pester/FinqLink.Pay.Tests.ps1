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
