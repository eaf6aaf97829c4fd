#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# What a person sees of every output type: the default view in an 80- and a 120-column console, ConvertTo-Json,
# Export-Csv, Get-Help at 80 columns, and the files Export-FinqLinkQrCode writes. The objects are real ones, from a
# sandbox. A console gives a table one column less than its width, so views are rendered at 79 and 119 columns
# (tests/Terminal/views-fit-the-console.sh looks at a real terminal).

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'FinqLink.TestHelpers.psm1') -Force
    Import-FinqLinkUnderTest
    $script:Cmdlets = (Get-Command -Module FinqLink).Name

    # One case per output: how its default view is laid out (Table, List or Custom), the labels it shows at 80 and at
    # 120 columns (in order), the properties whose values must appear whole, money columns whose text must be the
    # property's value, and the properties ConvertTo-Json and Export-Csv must keep. A case ending in '| Format-Table' is
    # the type's table view; GroupBy is the label a grouped table shows above each group.
    $script:Views = @(
        @{ Case = 'New-FinqLink'; Layout = 'List'; At80 = 'Reference', 'LinkId', 'Status', 'Amount', 'Currency', 'ExpiresAt', 'WebUrl'
            Whole = 'WebUrl', 'LinkId', 'Reference'; Kept = 'LinkId', 'WebUrl', 'Status', 'Reference', 'Amount', 'Currency' }
        @{ Case = 'New-FinqLink | Format-Table'; Layout = 'Table'; At80 = 'Reference', 'Status', 'Amount', 'Currency', 'ExpiresAt'
            At120 = 'Reference', 'Status', 'Amount', 'Currency', 'ExpiresAt', 'LinkId'; Whole = 'Reference', 'LinkId'; Money = 'Amount' }
        @{ Case = 'Get-FinqLink'; Layout = 'Table'; At80 = 'LinkId', 'Status', 'ExpiresAt', 'IsExpired'; At120 = 'LinkId', 'Status', 'ExpiresAt', 'IsExpired', 'CreatedAt'
            Whole = 'LinkId', 'Status'; Kept = 'LinkId', 'WebUrl', 'Status' }
        @{ Case = 'Get-FinqLink | Format-Table'; Layout = 'Table'; At80 = 'LinkId', 'Status', 'ExpiresAt', 'IsExpired'; At120 = 'LinkId', 'Status', 'ExpiresAt', 'IsExpired', 'CreatedAt'
            Whole = 'LinkId', 'Status' }
        @{ Case = 'Get-FinqLink | Format-List'; Layout = 'List'; At80 = 'LinkId', 'Status', 'ExpiresAt', 'WebUrl'; Whole = 'WebUrl', 'LinkId' }
        @{ Case = 'Get-FinqProvider'; Layout = 'Table'; At80 = 'ProviderId', 'Name', 'Bic', 'Country'; At120 = 'ProviderId', 'Name', 'Bic', 'Country', 'PaymentMethods'
            Whole = 'ProviderId', 'Name', 'Bic'; Kept = 'ProviderId', 'Name', 'Bic'; EmptyAllowed = 'PaymentMethods' }
        @{ Case = 'Get-FinqProvider -IncludePaymentMethods'; Layout = 'Table'; At80 = 'ProviderId', 'Name', 'Bic', 'Country'; At120 = 'ProviderId', 'Name', 'Bic', 'Country', 'PaymentMethods'
            Whole = 'ProviderId', 'Name'; Kept = 'ProviderId', 'Name' }
        @{ Case = 'PaymentMethods'; Layout = 'Table'; At80 = 'Id', 'ProviderId', 'PaymentScheme', 'RemitterType', 'Env'
            Whole = 'Id', 'PaymentScheme'; Kept = 'Id', 'ProviderId', 'PaymentScheme', 'Env' }
        @{ Case = 'New-FinqConsent'; Layout = 'List'; At80 = 'ConsentId', 'Status', 'ExpiresAt', 'WebUrl'
            Whole = 'ConsentId', 'WebUrl'; Kept = 'ConsentId', 'WebUrl', 'Status' }
        @{ Case = 'Wait-FinqConsent'; Layout = 'List'; At80 = 'ConsentId', 'Status', 'ServiceProvider', 'Scope', 'Accounts', 'AuthorizedUntil', 'WebUrl'
            Whole = 'ConsentId', 'WebUrl'; Kept = 'ConsentId', 'WebUrl', 'Status' }
        @{ Case = 'Wait-FinqConsent | Format-Table'; Layout = 'Table'; At80 = 'ConsentId', 'Status', 'AuthorizedUntil'; At120 = 'ConsentId', 'Status', 'AuthorizedUntil', 'Scope'
            Whole = 'ConsentId', 'Status' }
        @{ Case = 'Get-FinqAccount'; Layout = 'Table'; At80 = 'Iban', 'Currency', 'AvailableBalance', 'Name'; At120 = 'Iban', 'Currency', 'AvailableBalance', 'Name', 'AccountType'
            Whole = 'Iban', 'Name', 'AccountType'; Money = 'AvailableBalance'; Kept = 'AccountId', 'Iban', 'Currency', 'AvailableBalance' }
        @{ Case = 'Get-FinqBalance'; Layout = 'Table'; GroupBy = 'AccountId'; At80 = 'ReferenceDate', 'Type', 'SignedAmount', 'Currency', 'Timestamp'
            Whole = 'AccountId', 'Type'; Money = 'SignedAmount'
            Kept = 'BalanceId', 'Type', 'Amount', 'SignedAmount', 'Currency' }
        @{ Case = 'Get-FinqTransaction'; Layout = 'Table'; At80 = 'BookingDateTime', 'SignedAmount', 'Currency', 'Status', 'CounterpartyName'
            At120 = 'BookingDateTime', 'SignedAmount', 'Currency', 'Status', 'CounterpartyName', 'RemittanceInformation'
            Whole = 'CounterpartyName', 'RemittanceInformation'; Money = 'SignedAmount'; Kept = 'TransactionId', 'Amount', 'SignedAmount', 'CounterpartyName' }
        @{ Case = 'Start-FinqDataRefresh'; Layout = 'List'; At80 = 'JobId', 'ConsentId', 'Status'; Whole = 'JobId', 'ConsentId'; Kept = 'JobId', 'ConsentId', 'Status' }
        @{ Case = 'Get-FinqDataRefresh'; Layout = 'List'; At80 = 'JobId', 'ConsentId', 'Status', 'ServiceProvider', 'CreatedAt', 'AdditionalProperties'
            Whole = 'JobId'; Kept = 'JobId', 'ConsentId', 'Status' }
        @{ Case = 'Get-FinqDataRefresh | Format-Table'; Layout = 'Table'; At80 = 'JobId', 'Status', 'CreatedAt'; At120 = 'JobId', 'Status', 'CreatedAt', 'ConsentId'
            Whole = 'JobId', 'Status', 'ConsentId' }
        @{ Case = 'Get-FinqWebhookKey'; Layout = 'Table'; At80 = 'KeyId', 'Algorithm', 'KeyType', 'KeySize', 'Use'; Whole = 'KeyId'; Kept = 'KeyId', 'Algorithm', 'KeyType' }
        @{ Case = 'ConvertFrom-FinqWebhook'; Layout = 'List'; At80 = 'Type', 'Status', 'LinkId', 'KeyId', 'ReceivedAt'; Whole = 'LinkId', 'KeyId'; Kept = 'Type', 'Status', 'LinkId', 'KeyId' }
        @{ Case = 'ConvertFrom-FinqWebhook | Format-Table'; Layout = 'Table'; At80 = 'LinkId', 'Status', 'ReceivedAt'; At120 = 'LinkId', 'Status', 'ReceivedAt', 'KeyId'
            Whole = 'LinkId', 'Status', 'KeyId' }
        @{ Case = 'Get-FinqSession'; Layout = 'List'; At80 = 'BaseUri', 'ClientId', 'AuthMethod', 'ApiVersion', 'UseTestPath', 'ConnectedAt'; Whole = 'BaseUri'; Kept = 'ClientId', 'AuthMethod', 'ApiVersion' }
        @{ Case = 'Get-FinqSession | Format-Table'; Layout = 'Table'; At80 = 'BaseUri', 'ClientId', 'AuthMethod'; At120 = 'BaseUri', 'ClientId', 'AuthMethod', 'ApiVersion', 'UseTestPath', 'ConnectedAt'
            Whole = 'BaseUri', 'ClientId', 'AuthMethod' }
        @{ Case = 'Start-FinqLinkSandbox'; Layout = 'List'; At80 = 'BaseUri', 'ClientId', 'TokenEndpoint', 'ControlUri', 'ProcessId', 'Running', 'LogPath', 'StartedAt'
            Whole = 'BaseUri', 'LogPath'; Kept = 'ClientId', 'ProcessId' }
        @{ Case = 'Start-FinqLinkSandbox | Format-Table'; Layout = 'Table'; At80 = 'BaseUri', 'ClientId', 'ProcessId', 'Running', 'StartedAt'
            At120 = 'BaseUri', 'ClientId', 'ProcessId', 'Running', 'StartedAt', 'ControlUri'; Whole = 'BaseUri', 'ProcessId', 'ControlUri' }
        @{ Case = 'Register-FinqLinkSandboxClient'; Layout = 'List'; At80 = 'ClientId', 'KeyId', 'HasSecret'; Whole = 'ClientId', 'KeyId'; Kept = 'ClientId', 'KeyId', 'HasSecret' }
        @{ Case = 'Register-FinqLinkSandboxClient | Format-Table'; Layout = 'Table'; At80 = 'ClientId', 'KeyId'; At120 = 'ClientId', 'KeyId', 'HasSecret'; Whole = 'ClientId', 'KeyId' }
        @{ Case = 'Invoke-FinqLinkSandbox GetStats'; Layout = 'List'; At80 = 'requests', 'links_created', 'duplicate_links', 'faults_injected', 'tokens_issued', 'consents_created', 'jobs_created'
            Kept = 'requests', 'links_created' }
        @{ Case = 'Invoke-FinqLinkSandbox GetStats | Format-Table'; Layout = 'Table'; At80 = 'requests', 'links_created', 'duplicate_links', 'faults_injected', 'tokens_issued'
            At120 = 'requests', 'links_created', 'duplicate_links', 'faults_injected', 'tokens_issued', 'consents_created', 'jobs_created' }
        @{ Case = 'New-FinqLinkKey'; Layout = 'Custom'; At80 = 'KeyId', 'PrivateKeyPath', 'PublicKeyPath', 'PrivateJwkPath', 'PublicJwkPath'; Whole = 'KeyId'; Kept = 'KeyId', 'PrivateKeyPath', 'PublicJwkPath' }
        @{ Case = 'New-FinqLink -SummaryVariable'; Layout = 'List'; At80 = 'Rows', 'Created', 'FromJournal', 'Rejected', 'Failed', 'Ambiguous', 'NotSent', 'Throttled', 'Retries', 'PeakInFlight', 'Elapsed'
            Kept = 'Rows', 'Created', 'Rejected' }
        @{ Case = 'Get-FinqLink -JournalPath'; Layout = 'Table'; At80 = 'Reference', 'Status', 'Amount', 'Currency', 'StatusChangedAt'
            At120 = 'Reference', 'Status', 'Amount', 'Currency', 'StatusChangedAt', 'LinkId'; Whole = 'Reference', 'Status', 'LinkId'; Money = 'Amount'
            Kept = 'Reference', 'Amount', 'Currency', 'Status', 'LinkId', 'WebUrl' }
        @{ Case = 'Get-FinqLink -JournalPath -SummaryVariable'; Layout = 'Table'; At80 = 'Currency', 'Rows', 'Links', 'Paid', 'AmountPaid', 'Open', 'AmountOpen', 'Expired', 'Failed'
            Whole = 'Currency'; Kept = 'Currency', 'Rows', 'Links', 'Paid', 'AmountPaid' }
        @{ Case = 'Export-FinqLinkQrCode'; Layout = 'Table'; At80 = 'Name', 'Length'; At120 = 'Name', 'Length', 'LinkId'; Whole = 'Name', 'LinkId' }
    )
    foreach ($view in $Views) { if (-not $view.At120) { $view.At120 = $view.At80 } }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'FinqLink.TestHelpers.psm1') -Force
    Import-FinqLinkUnderTest
    $script:Sandbox = Start-FinqLinkTestSandbox
    $Sandbox | Connect-FinqLink
    $script:Work = New-FinqLinkTestFolder

    function Receive-LinkWebhook {
        # A link's first status change arrives as a signed webhook, read back through ConvertFrom-FinqWebhook.
        $listener = [System.Net.HttpListener]::new()
        $url = "http://127.0.0.1:$(Get-FreePort)/hooks/"
        $listener.Prefixes.Add($url)
        $listener.Start()
        try {
            $link = New-FinqLink -Amount 3 -Currency RON -WebhookUrl $url
            Invoke-FinqLinkSandbox SetLinkStatus $link.LinkId -Status started | Out-Null
            $task = $listener.GetContextAsync()
            if (-not $task.Wait([TimeSpan]::FromSeconds(15))) { throw 'No webhook arrived.' }
            $context = $task.Result
            $body = [IO.StreamReader]::new($context.Request.InputStream, [Text.Encoding]::UTF8).ReadToEnd()
            $context.Response.StatusCode = 204
            $context.Response.Close()
            ConvertFrom-FinqWebhook -Body $body -Headers $context.Request.Headers
        }
        finally { $listener.Close() }
    }

    function New-KeyPair {
        # New-FinqLinkKey fails about one time in fifteen (an RSA parameter with a leading zero byte is refused by
        # AsnWriter.WriteIntegerUnsigned in KeyPairFiles); this file is about the view, so it asks again.
        foreach ($attempt in 1..5) {
            try { return New-FinqLinkKey -Path (Join-Path $Work "key-$attempt") -ErrorAction Stop } catch { if ($attempt -eq 5) { throw } }
        }
    }

    function Wait-Refresh($Job) {
        $deadline = (Get-Date).AddSeconds(30)
        do { $read = $Job | Get-FinqDataRefresh; Start-Sleep -Milliseconds 100 } until ($read.IsFinal -or (Get-Date) -gt $deadline)
        $read
    }

    $consent = New-FinqConsent -ProviderId bt_ro
    Invoke-FinqLinkSandbox ApproveConsent $consent.ConsentId -ProviderId bt_ro | Out-Null
    $active = $consent | Wait-FinqConsent -TimeoutSec 30 -PollIntervalSec 0.2 -InformationAction Ignore
    $link = New-FinqLink -Amount 1250.5 -Currency RON -Reference 'INV-2026-0058'
    $job = Start-FinqDataRefresh $active.ConsentId
    $key = New-KeyPair
    $refresh = Wait-Refresh $job
    $webhook = Receive-LinkWebhook
    $null = @([pscustomobject]@{ Amount = 5; Currency = 'RON' }, [pscustomobject]@{ Amount = 'x'; Currency = 'RON' }) |
        New-FinqLink -SummaryVariable summary -ErrorAction SilentlyContinue

    $ledgerJournal = Join-Path $Work 'views.journal'
    $ledgerLinks = @(@([pscustomobject]@{ Reference = 'INV-2026-0101'; Amount = '1250.50'; Currency = 'RON' }, [pscustomobject]@{ Reference = 'INV-2026-0102'; Amount = '99.90'; Currency = 'RON' }) |
        New-FinqLink -JournalPath $ledgerJournal)
    Invoke-FinqLinkSandbox ApproveLink $ledgerLinks[0].LinkId | Out-Null
    $ledgerLinks[0] | Wait-FinqLink -Status completed -TimeoutSec 30 -PollIntervalSec 0.2 | Out-Null
    $ledger = @(Get-FinqLink -JournalPath $ledgerJournal -SummaryVariable ledgerTotals)

    $script:Outputs = @{
        'Get-FinqLink -JournalPath'              = $ledger
        'Get-FinqLink -JournalPath -SummaryVariable' = @($ledgerTotals)
        'New-FinqLink'                           = @($link)
        'New-FinqLink | Format-Table'            = @($link)
        'Get-FinqLink'                           = @(Get-FinqLink -First 3)
        'Get-FinqLink | Format-Table'            = @(Get-FinqLink -First 3)
        'Get-FinqLink | Format-List'             = @(Get-FinqLink $link.LinkId)
        'Get-FinqProvider'                       = @(Get-FinqProvider)
        'Get-FinqProvider -IncludePaymentMethods' = @(Get-FinqProvider -IncludePaymentMethods)
        'PaymentMethods'                         = @((Get-FinqProvider -IncludePaymentMethods).PaymentMethods)
        'New-FinqConsent'                        = @($consent)
        'Wait-FinqConsent'                       = @($active)
        'Wait-FinqConsent | Format-Table'        = @($active)
        'Get-FinqAccount'                        = @(Get-FinqAccount $active.ConsentId)
        'Get-FinqBalance'                        = @(Get-FinqBalance $active.ConsentId)
        'Get-FinqTransaction'                    = @(Get-FinqTransaction $active.ConsentId -First 12)
        'Start-FinqDataRefresh'                  = @($job)
        'Get-FinqDataRefresh'                    = @($refresh)
        'Get-FinqDataRefresh | Format-Table'     = @($refresh)
        'Get-FinqWebhookKey'                     = @(Get-FinqWebhookKey)
        'ConvertFrom-FinqWebhook'                = @($webhook)
        'ConvertFrom-FinqWebhook | Format-Table' = @($webhook)
        'Get-FinqSession'                        = @(Get-FinqSession)
        'Get-FinqSession | Format-Table'         = @(Get-FinqSession)
        'Start-FinqLinkSandbox'                  = @($Sandbox)
        'Start-FinqLinkSandbox | Format-Table'   = @($Sandbox)
        'Register-FinqLinkSandboxClient'         = @($key | Register-FinqLinkSandboxClient -ClientId views-client)
        'Register-FinqLinkSandboxClient | Format-Table' = @($key | Register-FinqLinkSandboxClient -ClientId views-table -ClientSecret (ConvertTo-SecureString s3cret -AsPlainText -Force))
        'Invoke-FinqLinkSandbox GetStats'        = @(Invoke-FinqLinkSandbox GetStats)
        'Invoke-FinqLinkSandbox GetStats | Format-Table' = @(Invoke-FinqLinkSandbox GetStats)
        'New-FinqLinkKey'                        = @($key)
        'New-FinqLink -SummaryVariable'          = @($summary)
        'Export-FinqLinkQrCode'                  = @($link | Export-FinqLinkQrCode -Path (Join-Path $Work 'qr'))
    }

    # The lines of a view as a console of a width shows it: the default view, the table view or the list view. A
    # console gives a table one column less than its width (79 of 80), and so does this.
    function Get-ViewLines($Objects, [int] $Width, [switch] $Table, [switch] $List) {
        $shown = if ($Table) { $Objects | Format-Table } elseif ($List) { $Objects | Format-List } else { $Objects }
        @(($shown | Out-String -Width ($Width - 1)) -split '\r?\n')
    }

    # A table's rows, in order, under every header (a grouped table has one header per group).
    function Get-TableRows([string[]] $Lines) {
        $inRows = $false
        foreach ($line in $Lines) {
            if ($line -match '^ *-[- ]*$') { $inRows = $true }
            elseif (-not $line.Trim()) { $inRows = $false }
            elseif ($inRows) { $line }
        }
    }

    # What the view labels: a table's header words, a list's or custom view's left column.
    function Get-ViewLabels([string[]] $Lines, [string] $Layout) {
        switch ($Layout) {
            'Table' {
                $dashes = [array]::FindIndex($Lines, [Predicate[string]] { param($l) $l -match '^ *-[- ]*$' })
                if ($dashes -lt 1) { throw "No table header in:`n$($Lines -join "`n")" }
                -split $Lines[$dashes - 1]
            }
            'List' { $Lines | Where-Object { $_ -match '^(\S+)\s*: ' } | ForEach-Object { $Matches[1] } | Select-Object -Unique }
            'Custom' { $Lines | Where-Object { $_ -match '^(\S+)\s{2,}\S' } | ForEach-Object { $Matches[1] } }
        }
    }
}

AfterAll {
    Disconnect-FinqLink -ErrorAction SilentlyContinue
    if ($script:Sandbox) { $script:Sandbox | Stop-FinqLinkSandbox }
    if ($script:Work) { Remove-Item $Work -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'The default view of <Case>' -ForEach $Views {
    BeforeAll {
        $script:Objects = $Outputs[$Case]
        $shape = @{ Table = $Case -like '*| Format-Table'; List = $Case -like '*| Format-List' }
        $script:At = @{ 80 = Get-ViewLines $Objects 80 @shape; 120 = Get-ViewLines $Objects 120 @shape }
    }

    It 'has objects to show' {
        $Objects.Count | Should -BeGreaterThan 0
    }

    It 'fits a <_>-column console, shows every label whole and cuts no value' -ForEach 80, 120 {
        $lines = $At[$_]
        ($lines | Measure-Object Length -Maximum).Maximum | Should -BeLessOrEqual ($_ - 1)
        $expected = if ($_ -eq 80) { $At80 } else { $At120 }
        Get-ViewLabels $lines $Layout | Should -Be $expected -Because "the view's labels at $_ columns, each one whole"
        ($lines -join "`n") | Should -Not -Match '…' -Because 'no value is truncated'
    }

    It 'labels are property names' {
        foreach ($label in $At120) {
            foreach ($object in $Objects) { $object.PSObject.Properties[$label] | Should -Not -BeNullOrEmpty -Because "$label is a label" }
        }
    }

    It 'shows no column that is empty for every object' {
        foreach ($label in $At120 | Where-Object { $_ -notin $EmptyAllowed }) {
            @($Objects | Where-Object { "$($_.$label)" -ne '' }).Count | Should -BeGreaterThan 0 -Because "$label is shown"
        }
    }

    if ($Whole) {
        It 'shows <Whole> in full' {
            $text = $At[120] -join "`n"
            foreach ($property in $Whole) {
                foreach ($object in $Objects) { $text | Should -Match ([regex]::Escape("$($object.$property)")) }
            }
            if ($Layout -ne 'Table') { ($At[80] -join "`n") | Should -Match ([regex]::Escape("$($Objects[0].$($Whole[0]))")) }
        }
    }

    if ($GroupBy) {
        It 'shows each row under its own <GroupBy>' {
            foreach ($width in 80, 120) {
                $group = $null
                $under = foreach ($line in $At[$width]) {
                    if ($line -match "^\s+$($GroupBy): (.*)$") { $group = $Matches[1] }
                    elseif ($line -in @(Get-TableRows $At[$width])) { $group }
                }
                @($under) | Should -Be @($Objects.$GroupBy) -Because "every row is shown under its $GroupBy at $width columns"
            }
            @($Objects.$GroupBy | Sort-Object -Unique).Count | Should -BeGreaterThan 1 -Because 'the objects come from more than one group'
        }
    }

    if ($Money) {
        It 'money column <Money> shows that property, row by row, without grouping or rounding' {
            $rows = @(Get-TableRows $At[120])
            $rows.Count | Should -Be $Objects.Count
            for ($i = 0; $i -lt $Objects.Count; $i++) {
                $value = $Objects[$i].$Money
                if ($null -eq $value) { continue }
                # The sandbox's currencies have two minor digits, and its amounts no more than two decimals.
                $Objects[$i].Currency | Should -BeIn 'RON', 'EUR'
                [decimal]::Round($value, 2) | Should -Be $value
                $rows[$i] | Should -Match "(^|\s)$([regex]::Escape($value.ToString('0.00', [cultureinfo]::InvariantCulture)))(\s|$)"
            }
        }
    }
}

Describe 'Filtering by what the views show' {
    It 'finds negative transactions by the SignedAmount column and groups by CounterpartyName' {
        $transactions = $Outputs['Get-FinqTransaction']
        $negative = @($transactions | Where-Object SignedAmount -lt 0)
        $negative.Count | Should -BeGreaterThan 0 -Because 'the seeded data has debits'
        $negative.CreditDebitIndicator | Sort-Object -Unique | Should -Be 'debit'
        @($transactions | Where-Object Amount -lt 0).Count | Should -Be 0 -Because 'Amount is never negative, and no view labels SignedAmount as Amount'
        @($transactions | Group-Object CounterpartyName).Count | Should -BeGreaterThan 1
    }

    It 'filters accounts by AvailableBalance' {
        $accounts = $Outputs['Get-FinqAccount']
        foreach ($account in $accounts) {
            $account.AvailableBalance | Should -Be ($account.Balances | Where-Object Type -eq 'available').SignedAmount
        }
        @($accounts | Where-Object AvailableBalance -gt 0).Count | Should -Be @($accounts | Where-Object { ($_.Balances | Where-Object Type -eq 'available').SignedAmount -gt 0 }).Count
    }

}

Describe 'Which table a link gets' {
    It 'leads a link read back from the API by LinkId, and one New-FinqLink made by its Reference' {
        $made = $Outputs['New-FinqLink'][0]
        $read = Get-FinqLink $made.LinkId
        $read.PSObject.TypeNames[0] | Should -Be 'FinqLink.Models.PaymentLink#FromApi'
        $made.PSObject.TypeNames[0] | Should -Be 'FinqLink.Models.PaymentLink'
        (Get-ViewLines $read 80)[1] | Should -Match '^LinkId\s+Status\s+ExpiresAt\s+IsExpired$'
        (Get-ViewLines $made 80 -Table)[1] | Should -Match '^Reference\s+Status\s+Amount\s+Currency\s+ExpiresAt$'
        $read.LinkId | Wait-FinqLink -Status created -TimeoutSec 30 -PollIntervalSec 0.2 |
            ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'FinqLink.Models.PaymentLink#FromApi' -Because 'Wait-FinqLink knows nothing more of a link given by id' }
        $made | Wait-FinqLink -Status created -TimeoutSec 30 -PollIntervalSec 0.2 |
            ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'FinqLink.Models.PaymentLink' -Because 'Wait-FinqLink keeps what New-FinqLink knew' }
    }

    It 'pipes a listed link on like any other' {
        $read = Get-FinqLink $Outputs['New-FinqLink'][0].LinkId
        ($read | Get-FinqLink).LinkId | Should -Be $read.LinkId
        $read.PSObject.BaseObject.AsPaymentLink().GetType().FullName | Should -Be 'FinqLink.Models.PaymentLink'
        $read.PSObject.TypeNames | Should -Contain 'FinqLink.Models.PaymentLink'
    }
}

Describe 'Balances one account after another' {
    It 'writes every balance of the consent once, account by account, each account newest first' {
        $balances = $Outputs['Get-FinqBalance']
        $accounts = @($Outputs['Get-FinqAccount'].AccountId)
        $accounts.Count | Should -BeGreaterThan 1
        # In the order accounts/list gives the accounts, each account's rows together.
        $runs = [System.Collections.Generic.List[string]]::new()
        foreach ($balance in $balances) { if ($runs.Count -eq 0 -or $runs[-1] -ne $balance.AccountId) { $runs.Add($balance.AccountId) } }
        @($runs) | Should -Be $accounts
        foreach ($account in $accounts) {
            $own = @($balances | Where-Object AccountId -eq $account)
            $own.BalanceId | Should -Be @(Get-FinqBalance $Outputs['Wait-FinqConsent'][0].ConsentId -AccountId $account).BalanceId -Because 'the same rows as asking for the account alone, in the same order'
            $times = @($own.Timestamp)
            for ($i = 1; $i -lt $times.Count; $i++) { $times[$i] | Should -BeLessOrEqual $times[$i - 1] }
        }
        @($balances.BalanceId | Sort-Object -Unique).Count | Should -Be $balances.Count -Because 'no balance is written twice'
    }

    It 'shows one group per account in a console' {
        $headers = @((Get-ViewLines $Outputs['Get-FinqBalance'] 80) | Where-Object { $_ -match '^\s+AccountId: ' })
        $headers.Count | Should -Be @($Outputs['Get-FinqAccount']).Count
    }

    It 'honours -First and -Skip across accounts' {
        $consent = $Outputs['Wait-FinqConsent'][0].ConsentId
        $all = $Outputs['Get-FinqBalance']
        $first = [int]($all.Count / 2) + 3
        @(Get-FinqBalance $consent -First $first).BalanceId | Should -Be @($all[0..($first - 1)].BalanceId)
        @(Get-FinqBalance $consent -Skip ($all.Count - 2)).BalanceId | Should -Be @($all[-2..-1].BalanceId)
    }
}

Describe 'Amounts as their currency writes them' {
    BeforeAll {
        # New-FinqLink writes a link behind a view that lists only the people columns: AsPaymentLink() gives the link itself.
        $script:Model = $Outputs['New-FinqLink'][0].PSObject.BaseObject.AsPaymentLink()
        $script:Transaction = $Outputs['Get-FinqTransaction'][0]
        $script:Balance = $Outputs['Get-FinqBalance'][0]

        # The sandbox, as FinqLink documents, refuses more than two decimals on create, and its banks hold RON and EUR:
        # three-digit currencies and amounts finer than their currency are shown on the module's own types, filled in.
        function New-Like($Object, [hashtable] $Values) {
            $copy = [Activator]::CreateInstance($Object.GetType())
            foreach ($name in $Values.Keys) { $copy.$name = $Values[$name] }
            $copy
        }

        function Show($Objects, [switch] $Table) { (Get-ViewLines $Objects 120 -Table:$Table) -join "`n" }
    }

    It 'shows a JPY link as 100, not 100.00, in its list and its table' {
        $jpy = New-FinqLink -Amount 100 -Currency JPY
        Show $jpy | Should -Match '(?m)^Amount\s+: 100$'
        Show $jpy -Table | Should -Match '\s100 JPY\s'
        Show $jpy -Table | Should -Not -Match '100\.00'
    }

    It 'shows BHD 1.234 and KWD 2 with three decimals' {
        $bhd = New-Like $Model @{ LinkId = $Model.LinkId; Status = 'created'; Amount = [decimal]'1.234'; Currency = 'BHD' }
        Show $bhd | Should -Match '(?m)^Amount\s+: 1\.234$'
        Show $bhd -Table | Should -Match '\s1\.234 BHD\s'
        $debit = New-Like $Transaction @{ Amount = [decimal]'1.234'; Currency = 'BHD'; CreditDebitIndicator = 'debit'; Status = 'booked' }
        Show $debit | Should -Match '\s-1\.234 BHD\s'
        $kwd = New-Like $Balance @{ AccountId = $Balance.AccountId; Type = 'available'; Amount = 2; Currency = 'KWD'; ReferenceDate = '2026-01-31' }
        Show $kwd | Should -Match '\s2\.000 KWD\s'
    }

    It 'shows large amounts whole in an 80-column console: 12 whole digits in links and transactions, 11 in balances (10 overdrawn)' {
        $link = New-Like $Model @{ LinkId = $Model.LinkId; Status = 'created'; Amount = [decimal]'999999999999.999'; Currency = 'BHD' }
        (Get-ViewLines $link 80 -Table) -join "`n" | Should -Match '\s999999999999\.999 BHD\s'
        $debit = New-Like $Transaction @{ Amount = [decimal]'999999999999.99'; Currency = 'RON'; CreditDebitIndicator = 'debit'; Status = 'booked' }
        (Get-ViewLines $debit 80) -join "`n" | Should -Match '\s-999999999999\.99 RON\s'
        $rich = New-Like $Balance @{ AccountId = $Balance.AccountId; Type = 'previously_closed_booked'; Amount = [decimal]'99999999999.99'; CreditDebitIndicator = 'credit'; Currency = 'RON'; ReferenceDate = '2026-01-31'; Timestamp = [datetimeoffset]'2026-01-31T23:59:00Z' }
        (Get-ViewLines $rich 80) -join "`n" | Should -Match '(?m)\spreviously_closed_booked\s+99999999999\.99 RON\s+2026-01-31 23:59$'
        $overdrawn = New-Like $Balance @{ AccountId = $Balance.AccountId; Type = 'previously_closed_booked'; Amount = [decimal]'9999999999.99'; CreditDebitIndicator = 'debit'; Currency = 'RON'; ReferenceDate = '2026-01-31' }
        (Get-ViewLines $overdrawn 80) -join "`n" | Should -Match '\spreviously_closed_booked\s+-9999999999\.99 RON\s'
    }

    It 'never rounds an amount finer than its currency' {
        $fine = New-Like $Transaction @{ Amount = [decimal]'0.125'; Currency = 'RON'; CreditDebitIndicator = 'credit'; Status = 'booked' }
        Show $fine | Should -Match '\s0\.125 RON\s'
        $yen = New-Like $Balance @{ AccountId = $Balance.AccountId; Type = 'available'; Amount = [decimal]'100.5'; Currency = 'JPY'; ReferenceDate = '2026-01-31' }
        Show $yen | Should -Match '\s100\.5 JPY\s'
    }

    It 'shows every amount the same under <_> as under the invariant culture' -ForEach 'de-DE', 'ro-RO', 'en-US' {
        # Tables without culture-dependent dates: a link's table, accounts, balances, transactions.
        $shown = { ($Outputs['New-FinqLink'] | Format-Table | Out-String -Width 120) + ($Outputs['Get-FinqAccount'], $Outputs['Get-FinqBalance'], $Outputs['Get-FinqTransaction'] | ForEach-Object { $_ | Out-String -Width 120 }) }
        $saved = [cultureinfo]::CurrentCulture
        try {
            [cultureinfo]::CurrentCulture = [cultureinfo]::InvariantCulture
            $invariant = & $shown
            [cultureinfo]::CurrentCulture = $_
            $local = & $shown
        }
        finally { [cultureinfo]::CurrentCulture = $saved }
        $local | Should -BeExactly $invariant
        $local | Should -Match '\s1250\.50 RON\s' -Because 'the link of 1250.5 RON'
    }
}

Describe 'Secrets in views' {
    It 'never shows the sandbox''s ClientSecret, in its list or its table, at any width' {
        foreach ($text in ($Sandbox | Out-String -Width 200), ($Sandbox | Format-Table | Out-String -Width 200), ($Sandbox | Format-Table -AutoSize | Out-String -Width 300)) {
            $text | Should -Not -Match 'ClientSecret|SecureString'
        }
    }
}

Describe 'ConvertTo-Json of <Case>' -ForEach ($Views | Where-Object { $_.Kept }) {
    It 'has no raw JSON element and keeps <Kept>' {
        $objects = $Outputs[$Case]
        $json = $objects | ConvertTo-Json -Depth 5 -WarningAction SilentlyContinue
        $json | Should -Not -Match 'ValueKind'
        $back = @($json | ConvertFrom-Json)
        $back.Count | Should -Be $objects.Count
        for ($i = 0; $i -lt $objects.Count; $i++) {
            foreach ($key in $Kept) {
                $value = $objects[$i].$key
                # JSON numbers drop a decimal's trailing zeros (279.50 comes back as 279.5): numbers compare as numbers.
                if ($value -is [decimal]) { [decimal]$back[$i].$key | Should -Be $value -Because "$key survives a JSON round trip" }
                else { "$($back[$i].$key)" | Should -Be "$value" -Because "$key survives a JSON round trip" }
            }
        }
    }
}

Describe 'Export-Csv of <Case>' -ForEach ($Views | Where-Object { $_.Kept }) {
    It 'writes readable cells for <Kept>' {
        $objects = $Outputs[$Case]
        $file = Join-Path $Work "$([guid]::NewGuid().ToString('N')).csv"
        $objects | Export-Csv -Path $file -NoTypeInformation
        $rows = @(Import-Csv $file)
        $rows.Count | Should -Be $objects.Count
        for ($i = 0; $i -lt $objects.Count; $i++) {
            foreach ($key in $Kept) {
                $rows[$i].$key | Should -Not -Match '^(System|FinqLink)\.|\[\]$' -Because "$key is a value, not a type name"
                $value = $objects[$i].$key
                $rows[$i].$key | Should -Be $(if ($null -eq $value) { '' } else { $value.ToString() })
            }
        }
    }
}

Describe 'Get-Help <_> -Full at 80 columns' -ForEach $Cmdlets {
    BeforeAll { $script:Help = @((Get-Help $_ -Full | Out-String -Width 80) -split '\r?\n') }

    It 'keeps every line within 80 columns, example titles whole' {
        ($Help | Measure-Object Length -Maximum).Maximum | Should -BeLessOrEqual 80
        $Help | Where-Object { $_ -match '^\s*-+\s*$' } | Should -BeNullOrEmpty -Because 'an example title wrapped onto a line of its own dashes'
    }

    It 'shows its RELATED LINKS, the online page first' {
        $at = [array]::IndexOf($Help, 'RELATED LINKS')
        $at | Should -BeGreaterThan 0
        $Help[$at + 1] | Should -Match '^\s+Online Version: https://github\.com/finqlink-powershell/FinqLink/'
        ($Help[($at + 1)..($Help.Count - 1)] | Where-Object { $_.Trim() }).Count | Should -BeGreaterThan 2 -Because 'the markdown lists related cmdlets'
    }
}

Describe 'Get-Help <_> at 80 columns' -ForEach 'about_FinqLink', 'about_FinqLink_Sandbox' {
    It 'shows its short description as the synopsis and wraps all but code at 80 columns' {
        (Get-Help $_).Synopsis | Should -Not -Match 'SHORT DESCRIPTION'
        (Get-Help $_).Synopsis | Should -Not -BeNullOrEmpty
        $lines = @((Get-Help $_ | Out-String -Width 200) -split '\r?\n')
        $lines | Where-Object { $_.Length -gt 80 -and $_ -notmatch '^ {8}' } | Should -BeNullOrEmpty
    }
}

Describe 'A bulk run summary' {
    It 'shows failures by reason on one line, and only when there are some' {
        $summary = $Outputs['New-FinqLink -SummaryVariable'][0]
        ($summary | Out-String -Width 80) | Should -Not -Match 'FailuresByReason'
        $failing = $summary.PSObject.Copy()
        $reasons = [ordered]@{ internal_error = 3; transport = 1 }
        $failing.PSObject.Properties.Remove('FailuresByReason')
        $failing.PSObject.Properties.Add([psnoteproperty]::new('FailuresByReason', $reasons))
        ($failing | Out-String -Width 80) | Should -Match '(?m)^FailuresByReason : internal_error 3, transport 1$'
    }
}

Describe 'Export-FinqLinkQrCode' {
    BeforeAll {
        $script:Links = @(1..3 | ForEach-Object { New-FinqLink -Amount $_ -Currency RON })
        $script:Csv = Join-Path $Work 'links.csv'
        # As a user's export holds them: every column a string, Reference empty.
        $Links | Select-Object Reference, LinkId, Status, WebUrl | Export-Csv $Csv -NoTypeInformation
    }

    It 'names files after the LinkId when the Reference cell is empty, one file per row' {
        $folder = Join-Path $Work 'from-csv'
        $files = @(Import-Csv $Csv | Export-FinqLinkQrCode -Path $folder -Force)
        $files.Name | Sort-Object | Should -Be ($Links.LinkId | ForEach-Object { "$_.png" } | Sort-Object)
        @(Get-ChildItem $folder).Count | Should -Be 3
    }

    It 'never lets two inputs of one run overwrite each other, with or without -Force' {
        $folder = Join-Path $Work 'same-reference'
        $rows = $Links | ForEach-Object { [pscustomobject]@{ Reference = 'INV-7'; LinkId = $_.LinkId; WebUrl = $_.WebUrl } }
        $files = @($rows | Export-FinqLinkQrCode -Path $folder -Force -WarningVariable warnings -WarningAction SilentlyContinue)
        $files.Name | Should -Be 'INV-7.png', 'INV-7-2.png', 'INV-7-3.png'
        $files.LinkId | Should -Be $Links.LinkId
        $warnings.Count | Should -Be 2
        @($rows | Export-FinqLinkQrCode -Path (Join-Path $folder 'one.png') -Force -WarningAction SilentlyContinue).Name | Should -Be 'one.png', 'one-2.png', 'one-3.png'
    }

    It '-Force overwrites a file from an earlier run; without it the file stays and the row is an error' {
        $folder = Join-Path $Work 'rerun'
        $first = $Links[0] | Export-FinqLinkQrCode -Path $folder
        $first.Name | Should -Be "$($Links[0].LinkId).png"
        { $Links[0] | Export-FinqLinkQrCode -Path $folder -ErrorAction Stop } | Should -Throw -ExpectedMessage '*exists*'
        ($Links[0] | Export-FinqLinkQrCode -Path $folder -Force -Format Png).Name | Should -Be $first.Name
        @(Get-ChildItem $folder).Count | Should -Be 1
    }

    It '-WhatIf writes nothing, not even the folder' {
        $folder = Join-Path $Work 'what-if'
        Import-Csv $Csv | Export-FinqLinkQrCode -Path $folder -WhatIf
        Test-Path $folder | Should -BeFalse
    }

    It 'writes the file as Get-Item gives it, with the link it encodes' {
        $file = $Links[1] | Export-FinqLinkQrCode -Path (Join-Path $Work 'item') -Format Svg
        $file.PSObject.TypeNames[0] | Should -Be 'FinqLink.QrCodeFile'
        $file.PSObject.TypeNames | Should -Contain 'System.IO.FileInfo'
        $file.PSPath | Should -Not -BeNullOrEmpty
        $file.WebUrl | Should -Be $Links[1].WebUrl
        Get-Content $file.FullName -Raw | Should -Match '<svg'
    }
}
