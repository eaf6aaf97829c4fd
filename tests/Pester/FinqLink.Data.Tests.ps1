#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'FinqLink.TestHelpers.psm1') -Force
    Import-FinqLinkUnderTest
    $script:Sandbox = Start-FinqLinkTestSandbox
    $Sandbox | Connect-FinqLink

    function New-ActiveConsent {
        $consent = New-FinqConsent -ProviderId bt_ro
        Invoke-FinqLinkSandbox ApproveConsent $consent.ConsentId -ProviderId bt_ro | Out-Null
        $consent | Wait-FinqConsent -TimeoutSec 30 -PollIntervalSec 0.2
    }
}

AfterAll {
    Disconnect-FinqLink -ErrorAction SilentlyContinue
    if ($script:Sandbox) { $script:Sandbox | Stop-FinqLinkSandbox }
}

Describe 'The consent to transactions chain' {
    It 'runs from a new consent to its transactions in one pipeline' {
        $transactions = New-ActiveConsent | Start-FinqDataRefresh | Wait-FinqDataRefresh -PollIntervalSec 0.2 | Get-FinqTransaction -First 25
        $transactions.Count | Should -Be 25
        $transactions | ForEach-Object { $_.Amount | Should -BeGreaterThan 0 }
        ($transactions | Where-Object CreditDebitIndicator -eq 'debit' | Select-Object -First 1).SignedAmount | Should -BeLessThan 0
    }

    It 'lists accounts with balances and pipes them on' {
        $consent = New-ActiveConsent
        $accounts = Get-FinqAccount $consent.ConsentId
        $accounts.Count | Should -Be 2
        $balances = @($accounts | Get-FinqBalance -Type available -First 3)
        $balances.Count | Should -BeGreaterThan 0 -Because 'a filter that matches nothing must not pass'
        $balances.Type | Sort-Object -Unique | Should -Be 'available'
        ($balances.AccountId | Sort-Object -Unique) | Should -BeIn $accounts.AccountId
    }

    It 'reports each request on the verbose stream only when it is read' {
        $consent = New-ActiveConsent
        $line = '^POST /v2/ais/transactions/list -> 200 in \d+ ms \(request \S+\)$'
        function Get-RequestLine([scriptblock] $List) { @(& $List 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match $line }).Count }
        Get-RequestLine { Get-FinqTransaction $consent.ConsentId -First 300 -PageSize 100 -Verbose } | Should -BeGreaterOrEqual 3
        # Set in a scope of its own, the preference is a string, as scripts usually write it.
        Get-RequestLine { $VerbosePreference = 'Continue'; Get-FinqTransaction $consent.ConsentId -First 100 -PageSize 100 } | Should -BeGreaterOrEqual 1
        Get-RequestLine { $VerbosePreference = [System.Management.Automation.ActionPreference]::Continue; Get-FinqTransaction $consent.ConsentId -First 100 -PageSize 100 } | Should -BeGreaterOrEqual 1
        Get-RequestLine { $VerbosePreference = 'Continue'; Get-FinqTransaction $consent.ConsentId -First 100 -PageSize 100 -Verbose:$false } | Should -Be 0
        Get-RequestLine { Get-FinqTransaction $consent.ConsentId -First 100 -PageSize 100 } | Should -Be 0
    }

    It 'reports the total count of a full listing as exact, and of one cut by -First as unknown' {
        $consent = New-ActiveConsent
        $all = @(Get-FinqTransaction $consent.ConsentId -IncludeTotalCount -Skip 5)
        $total = $all[-1]
        $total.Accuracy | Should -Be 1.0
        [ulong] $total.PSObject.BaseObject | Should -Be ($all.Count - 1 + 5) -Because 'the skipped transactions count too'
        $total.ToString() | Should -Be "Total count: $($all.Count - 1 + 5)"
        $cut = Get-FinqTransaction $consent.ConsentId -IncludeTotalCount -First 3 | Select-Object -Last 1
        $cut.Accuracy | Should -Be 0.0
        $cut.ToString() | Should -Be 'Unknown total count'
    }

    It 'filters transactions' {
        $consent = New-ActiveConsent
        $expected = @(Get-FinqTransaction $consent.ConsentId | Where-Object { $_.CreditDebitIndicator -eq 'credit' -and $_.Amount -ge 200 } | Select-Object -First 20)
        $expected.Count | Should -BeGreaterThan 0 -Because 'the seeded data has large credits, and a filter that matches nothing must not pass'
        $filtered = @(Get-FinqTransaction $consent.ConsentId -CreditDebitIndicator credit -MinimumAmount 200 -First 20)
        $filtered.TransactionId | Should -Be $expected.TransactionId -Because 'the server filters exactly what a client-side filter of the whole list keeps'
        ($filtered.Amount | Measure-Object -Minimum).Minimum | Should -BeGreaterOrEqual 200
    }

    It 'lists the next consent piped in when one fails (<Command>), naming the failed one in its error' -ForEach @(
        @{ Command = 'Get-FinqTransaction' }, @{ Command = 'Get-FinqBalance' }
    ) {
        $consent = New-ActiveConsent
        $listed = @('no-such-consent', $consent.ConsentId | & $Command -First 2 -ErrorVariable failed -ErrorAction SilentlyContinue)
        $failed.Count | Should -Be 1
        $failed[0].TargetObject | Should -Be 'no-such-consent'
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'FinqLink.Api.consent_not_found,*'
        $listed.Count | Should -Be 2 -Because 'the failed consent stops only its own listing'
        $listed.ConsentId | Sort-Object -Unique | Should -Be $consent.ConsentId
    }

    It 'sums signed amounts per account exactly, as Get-FinqTransaction example 2 is written' {
        $consent = New-ActiveConsent
        $nets = Get-FinqTransaction $consent.ConsentId -Status booked |
            Group-Object AccountId |
            ForEach-Object { [pscustomobject]@{ Account = $_.Name; Net = [Linq.Enumerable]::Sum([decimal[]] $_.Group.SignedAmount) } }
        @($nets).Count | Should -Be 2
        foreach ($net in $nets) {
            $net.Net | Should -BeOfType [decimal]
            $exact = [decimal] 0
            foreach ($t in Get-FinqTransaction $consent.ConsentId -AccountId $net.Account -Status booked) {
                $exact += if ($t.CreditDebitIndicator -eq 'debit') { -$t.Amount } else { $t.Amount }
            }
            $net.Net | Should -Be $exact
        }
    }

    It 'refuses an unsupported scope before sending' {
        $before = Get-FinqLinkSandboxStats
        { New-FinqConsent -Scope accounts, transactions -ErrorAction Stop } | Should -Throw -ErrorId 'FinqLink.InvalidInput.Scope*'
        $after = Get-FinqLinkSandboxStats
        $after.consents_created | Should -Be $before.consents_created
        $after.requests | Should -Be $before.requests -Because 'nothing reached the API'
    }

    It 'revokes idempotently' {
        $consent = New-ActiveConsent
        (Revoke-FinqConsent $consent.ConsentId -Confirm:$false -PassThru).Status | Should -Be 'revoked'
        { Revoke-FinqConsent $consent.ConsentId -Confirm:$false -ErrorAction Stop } | Should -Not -Throw
        { Get-FinqTransaction $consent.ConsentId -First 1 -ErrorAction Stop } | Should -Throw -ErrorId 'FinqLink.Api.consent_not_active*'
    }
}

Describe 'Consents and refreshes by id' {
    It 'gets a consent by id and from the pipeline' {
        $consent = New-ActiveConsent
        $read = Get-FinqConsent $consent.ConsentId
        $read.Status | Should -Be 'active'
        $read.AuthorizedUntil | Should -Not -BeNullOrEmpty
        ($consent | Get-FinqConsent).ConsentId | Should -Be $consent.ConsentId
    }

    It "completes a direct_sca consent from the bank's redirect URL" {
        $consent = New-FinqConsent -ProviderId bt_ro -FlowType direct_sca -RedirectUrl 'https://app.example/back'
        $approval = Invoke-FinqLinkSandbox ApproveConsent $consent.ConsentId -ProviderId bt_ro
        $completed = Complete-FinqConsent $consent.ConsentId -RedirectUri "https://app.example/back?state=x&code=$($approval.redirect_code)"
        $completed.Status | Should -Be 'active'
    }

    It 'reads a refresh job by consent and job id, and from the pipeline' {
        $job = New-ActiveConsent | Start-FinqDataRefresh
        $read = Get-FinqDataRefresh -ConsentId $job.ConsentId -JobId $job.JobId
        $read.JobId | Should -Be $job.JobId
        $read.Status | Should -BeIn @('job_started', 'accounts_ready', 'balances_ready', 'transactions_fetching', 'job_partially_completed', 'job_completed')
        ($job | Get-FinqDataRefresh).JobId | Should -Be $job.JobId
    }
}

Describe 'Webhook verification' {
    BeforeAll {
        $script:Listener = [System.Net.HttpListener]::new()
        $port = Get-FreePort
        $script:HookUrl = "http://127.0.0.1:$port/hooks/"
        $Listener.Prefixes.Add($HookUrl)
        $Listener.Start()

        function Receive-Webhook {
            $task = $Listener.GetContextAsync()
            if (-not $task.Wait([TimeSpan]::FromSeconds(15))) { throw 'No webhook arrived.' }
            $context = $task.Result
            $body = [IO.StreamReader]::new($context.Request.InputStream, [Text.Encoding]::UTF8).ReadToEnd()
            $headers = $context.Request.Headers
            $context.Response.StatusCode = 204
            $context.Response.Close()
            [pscustomobject]@{ Body = $body; Headers = $headers }
        }
    }

    AfterAll { $Listener.Close() }

    It 'verifies a genuine webhook and reads it as a typed event' {
        $link = New-FinqLink -Amount 7 -Currency RON -WebhookUrl $HookUrl
        Invoke-FinqLinkSandbox SetLinkStatus $link.LinkId -Status started | Out-Null
        $hook = Receive-Webhook
        Test-FinqWebhookSignature -Body $hook.Body -Headers $hook.Headers | Should -BeTrue
        $webhook = $hook | ConvertFrom-FinqWebhook
        # FinqLink's model types live in its isolated dependencies, so they are checked by name, not by a [type] literal.
        $webhook.PSObject.TypeNames | Should -Contain 'FinqLink.Webhooks.LinkStatusUpdate'
        $webhook.LinkId | Should -Be $link.LinkId
    }

    It 'rejects a tampered body' {
        $link = New-FinqLink -Amount 8 -Currency RON -WebhookUrl $HookUrl
        Invoke-FinqLinkSandbox SetLinkStatus $link.LinkId -Status started | Out-Null
        $hook = Receive-Webhook
        $forged = $hook.Body -replace 'started', 'completed'
        Test-FinqWebhookSignature -Body $forged -Headers $hook.Headers | Should -BeFalse
        { ConvertFrom-FinqWebhook -Body $forged -Headers $hook.Headers -ErrorAction Stop } | Should -Throw -ErrorId 'FinqLink.WebhookInvalid*'
    }

    It 'publishes two keys' {
        (Get-FinqWebhookKey -Refresh).Count | Should -Be 2
    }
}
