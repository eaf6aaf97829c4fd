#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'FinqLink.TestHelpers.psm1') -Force
    Import-FinqLinkUnderTest
    $script:Work = New-FinqLinkTestFolder
}

AfterAll {
    Disconnect-FinqLink -ErrorAction SilentlyContinue
    Remove-Item $Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Start-FinqLinkSandbox and Stop-FinqLinkSandbox' {
    It 'starts a sandbox on a free loopback port that pipes into Connect-FinqLink, and stops its whole process tree' {
        $sandbox = Start-FinqLinkTestSandbox
        try {
            $sandbox.BaseUri.Host | Should -Be '127.0.0.1'
            $sandbox.BaseUri.Port | Should -BeGreaterThan 0
            $sandbox.Running | Should -BeTrue
            $sandbox | Connect-FinqLink
            (Get-FinqSession).BaseUri | Should -Be $sandbox.BaseUri
            (Get-FinqProvider).ProviderId | Should -Contain 'rzb_ro'
        }
        finally { $sandbox | Stop-FinqLinkSandbox }
        $sandbox.Running | Should -BeFalse
        Get-Process -Id $sandbox.ProcessId -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        { Invoke-RestMethod "$($sandbox.BaseUri).well-known/jwks.json" -TimeoutSec 2 } | Should -Throw
    }

    It 'says how to install the sandbox when it cannot find it' {
        { Start-FinqLinkSandbox -Path (Join-Path $Work 'nowhere/finqlink-sandbox') -ErrorAction Stop } |
            Should -Throw -ErrorId 'FinqLink.Sandbox.NotInstalled*' -ExpectedMessage '*dotnet tool install --global FinqLink.Sandbox*'
    }

    It 'passes fault rules to the sandbox' {
        $sandbox = Start-FinqLinkTestSandbox -Options @{ Fault = 'links/create:fail-before=1' }
        try {
            $sandbox | Connect-FinqLink
            { New-FinqLink -Amount 1 -Currency RON -ErrorAction Stop } | Should -Throw -ErrorId 'FinqLink.OutcomeUnknown*'
            (Invoke-FinqLinkSandbox GetStats).links_created | Should -Be 0
        }
        finally { $sandbox | Stop-FinqLinkSandbox }
    }
}

Describe 'Invoke-FinqLinkSandbox' {
    BeforeAll {
        $script:Sandbox = Start-FinqLinkTestSandbox
        $Sandbox | Connect-FinqLink
    }

    AfterAll { $Sandbox | Stop-FinqLinkSandbox }

    It 'plays the payer of a piped link' {
        $link = New-FinqLink -Amount 11 -Currency RON
        $link | Invoke-FinqLinkSandbox ApproveLink -ProviderId bt_ro | Out-Null
        ($link | Wait-FinqLink -TimeoutSec 30 -PollIntervalSec 0.1).Status | Should -Be 'completed'
    }

    It 'sets and clears faults' {
        Invoke-FinqLinkSandbox SetFaults -Fault 'links/create:fail-before=1' | Out-Null
        { New-FinqLink -Amount 2 -Currency RON -ErrorAction Stop } | Should -Throw -ErrorId 'FinqLink.OutcomeUnknown*'
        # Its advice must not send the row again through a new journal, which cannot know about the link (a duplicate).
        New-FinqLink -Amount 2 -Currency RON -ErrorVariable unknown -ErrorAction SilentlyContinue
        $unknown[0].ErrorDetails.RecommendedAction | Should -BeLike '*look for it (Get-FinqLink -CreatedAfter*'
        $unknown[0].ErrorDetails.RecommendedAction | Should -Not -BeLike '*Run again with -JournalPath*'
        Invoke-FinqLinkSandbox ClearFaults | Out-Null
        (New-FinqLink -Amount 2 -Currency RON).LinkId | Should -Not -BeNullOrEmpty
    }

    It 'refuses any host but loopback' {
        { Invoke-FinqLinkSandbox GetStats -BaseUri 'https://sandbox-pay.finqware.com' -ErrorAction Stop } |
            Should -Throw -ErrorId 'FinqLink.Sandbox.ControlFailed*' -ExpectedMessage '*not a local sandbox*'
    }

    It 'names the id an action needs' {
        { Invoke-FinqLinkSandbox ApproveLink -ErrorAction Stop } | Should -Throw -ExpectedMessage '*needs the id of the link*'
    }
}

Describe 'A private_key_jwt client of the local sandbox' {
    BeforeAll {
        $script:Sandbox = Start-FinqLinkTestSandbox
    }

    AfterAll {
        Disconnect-FinqLink -ErrorAction SilentlyContinue
        $Sandbox | Stop-FinqLinkSandbox
    }

    It 'writes the four files of the key script, private ones readable by their owner only' {
        $key = New-FinqLinkKey -Path (Join-Path $Work 'key1')
        $key.KeyId | Should -Match '^[0-9a-f]{64}$'
        (Get-ChildItem (Join-Path $Work 'key1')).Name | Sort-Object | Should -Be @('private.key.json', 'private.key.pem', 'public.key.json', 'public.key.pem')
        $public = Get-Content $key.PublicJwkPath -Raw | ConvertFrom-Json
        $public.kty, $public.alg, $public.use, $public.e | Should -Be @('RSA', 'RS256', 'sig', 'AQAB')
        $private = Get-Content $key.PrivateJwkPath -Raw | ConvertFrom-Json
        @($private.PSObject.Properties.Name | Where-Object { $_ -in 'p', 'q', 'dp', 'dq', 'qi' }) | Should -BeNullOrEmpty -Because 'the script writes n, e and d only'
        Get-Content $key.PrivateKeyPath -TotalCount 1 | Should -Be '-----BEGIN PRIVATE KEY-----'
        $rsa = [System.Security.Cryptography.RSA]::Create()
        $rsa.ImportFromPem((Get-Content $key.PrivateKeyPath -Raw))
        [Convert]::ToBase64String($rsa.ExportParameters($false).Modulus).TrimEnd('=').Replace('+', '-').Replace('/', '_') | Should -Be $public.n
        if (-not $IsWindows) {
            (Get-Item $key.PrivateKeyPath).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
            (Get-Item $key.PrivateJwkPath).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
        }
        { New-FinqLinkKey -Path (Join-Path $Work 'key1') -ErrorAction Stop } | Should -Throw -ErrorId 'FinqLink.KeyFilesExist*'
    }

    It 'registers the public key and connects with the private one, the token endpoint derived from the loopback base URI' {
        $key = New-FinqLinkKey -Path (Join-Path $Work 'key2')
        ($key | Register-FinqLinkSandboxClient -ClientId pester-jwt).KeyId | Should -Be $key.KeyId
        $session = Connect-FinqLink -BaseUri $Sandbox.BaseUri -ClientId pester-jwt -PrivateKeyPath $key.PrivateJwkPath -PassThru
        $session.AuthMethod | Should -Be 'PrivateKeyJwt'
        $session.TokenEndpoint.AbsoluteUri | Should -Be "$($Sandbox.BaseUri)oauth2/v1/token"
        (New-FinqLink -Amount 3 -Currency RON).LinkId | Should -Not -BeNullOrEmpty
    }

    It 'refuses to register a private key as the public one' {
        $key = New-FinqLinkKey -Path (Join-Path $Work 'key3')
        { Register-FinqLinkSandboxClient -ClientId leaky -PublicKeyPath $key.PrivateJwkPath -ErrorAction Stop } |
            Should -Throw -ErrorId 'FinqLink.Sandbox.RegisterFailed*' -ExpectedMessage '*holds a private key*'
    }
}

Describe 'Which sandbox the control cmdlets act on' {
    BeforeAll {
        Disconnect-FinqLink -ErrorAction SilentlyContinue
        $script:A = Start-FinqLinkTestSandbox
        $script:B = Start-FinqLinkTestSandbox
        $A | Connect-FinqLink
    }

    AfterAll {
        Disconnect-FinqLink -ErrorAction SilentlyContinue
        $A, $B | Where-Object Running | Stop-FinqLinkSandbox
    }

    It 'acts on the connected sandbox, not the last one started' {
        $link = New-FinqLink -Amount 7 -Currency RON
        $link | Invoke-FinqLinkSandbox ApproveLink -ProviderId bt_ro -ErrorAction Stop | Out-Null
        ($link | Wait-FinqLink -TimeoutSec 30 -PollIntervalSec 0.1).Status | Should -Be 'completed'
        (Invoke-FinqLinkSandbox GetStats).links_created | Should -Be 1
        ($B | Invoke-FinqLinkSandbox GetStats).links_created | Should -Be 0 -Because 'a piped sandbox is the one acted on'
        (Invoke-FinqLinkSandbox GetStats -Sandbox $B).links_created | Should -Be 0
    }

    It 'registers clients with the connected sandbox, or the one piped' {
        $secret = ConvertTo-SecureString 'target-secret' -AsPlainText -Force
        Register-FinqLinkSandboxClient -ClientId on-a -ClientSecret $secret | Out-Null
        $B | Register-FinqLinkSandboxClient -ClientId on-b -ClientSecret $secret | Out-Null
        (Invoke-FinqLinkSandbox GetClients -Sandbox $A).clients.client_id | Should -Contain 'on-a'
        (Invoke-FinqLinkSandbox GetClients -Sandbox $A).clients.client_id | Should -Not -Contain 'on-b'
        (Invoke-FinqLinkSandbox GetClients -Sandbox $B).clients.client_id | Should -Contain 'on-b'
        (Invoke-FinqLinkSandbox GetClients -Sandbox $B).clients.client_id | Should -Not -Contain 'on-a'
    }

    It 'names the running sandboxes when none is connected and several run, instead of picking one' {
        Disconnect-FinqLink
        foreach ($call in { Invoke-FinqLinkSandbox GetStats -ErrorAction Stop },
                          { Register-FinqLinkSandboxClient -ClientId nowhere -ClientSecret (ConvertTo-SecureString 's' -AsPlainText -Force) -ErrorAction Stop },
                          { Stop-FinqLinkSandbox -ErrorAction Stop }) {
            $failure = { & $call } | Should -Throw -ErrorId 'FinqLink.Sandbox.Unclear*' -PassThru
            $failure.Exception.Message | Should -BeLike "*2 local sandboxes run*$($A.BaseUri)*$($B.BaseUri)*"
            $failure.Exception.Message | Should -BeLike '*-Sandbox*'
        }
        foreach ($sandbox in $A, $B) { (Invoke-FinqLinkSandbox GetClients -Sandbox $sandbox).clients.client_id | Should -Not -Contain 'nowhere' }
        $A.Running, $B.Running | Should -Be $true, $true -Because 'Stop-FinqLinkSandbox stopped none on a guess'
    }

    It 'takes the only running sandbox when no session says otherwise' {
        $B | Stop-FinqLinkSandbox
        (Invoke-FinqLinkSandbox GetStats -ErrorAction Stop).links_created | Should -Be 1 -Because 'A is the only one left'
    }

    It 'stops the connected sandbox, not the last one started, and says which run when unclear' {
        $c = Start-FinqLinkTestSandbox
        $d = Start-FinqLinkTestSandbox
        try {
            $c | Connect-FinqLink
            Stop-FinqLinkSandbox -ErrorAction Stop
            $c.Running | Should -BeFalse -Because 'the session is connected to it'
            $d.Running, $A.Running | Should -Be $true, $true
            Disconnect-FinqLink
            $failure = { Stop-FinqLinkSandbox -ErrorAction Stop } | Should -Throw -ErrorId 'FinqLink.Sandbox.Unclear*' -PassThru
            $failure.Exception.Message | Should -BeLike "*2 local sandboxes run*$($A.BaseUri)*$($d.BaseUri)*-Sandbox*"
            $failure.Exception.Message | Should -Not -BeLike '*-BaseUri*' -Because 'Stop-FinqLinkSandbox has no -BaseUri'
            $d.Running | Should -BeTrue
            $d | Stop-FinqLinkSandbox
            Stop-FinqLinkSandbox -ErrorAction Stop
            $A.Running | Should -BeFalse -Because 'it was the only one left'
        }
        finally { $c, $d | Where-Object Running | Stop-FinqLinkSandbox }
    }
}

Describe 'Sub-second token lifetimes' {
    It 'renews 0.1 s tokens as they expire: every create succeeds while tokens are issued again and again' {
        $sandbox = Start-FinqLinkTestSandbox -Options @{ TokenLifetimeSec = 0.1 }
        try {
            (Invoke-FinqLinkSandbox GetSettings -Sandbox $sandbox).token_lifetime_seconds | Should -Be 0.1
            # expires_in is whole seconds, as documented, but the token dies after its real 0.1 s: well before 1 s. A token
            # that lived 1 s could never be refused sooner, so the fastest of up to three tries must be; a loaded machine
            # may stall one try past 1 s on its own.
            $lifetimes = foreach ($try in 1..3) {
                $issuedAt = [Diagnostics.Stopwatch]::StartNew()
                $token = Invoke-RestMethod -Method Post -Uri $sandbox.TokenEndpoint -Body @{ grant_type = 'client_credentials'; client_id = 'demo'; client_secret = 'demo-secret' }
                $token.expires_in | Should -Be 1
                $headers = @{ Authorization = "Bearer $($token.access_token)" }
                do {
                    $status = (Invoke-WebRequest -Method Post -Uri "$($sandbox.BaseUri)v2/providers/list" -Headers $headers -ContentType 'application/json' -Body '{"client_id":"demo"}' -SkipHttpErrorCheck).StatusCode
                } until ($status -eq 401 -or $issuedAt.Elapsed.TotalSeconds -gt 30)
                $status | Should -Be 401
                $issuedAt.Elapsed.TotalSeconds
                if ($issuedAt.Elapsed.TotalSeconds -lt 1) { break }
            }
            ($lifetimes | Measure-Object -Minimum).Minimum | Should -BeLessThan 1 -Because 'the token expires after 0.1 s, not after the 1 s expires_in announces'
            $secret = ConvertTo-SecureString 'renewal-secret' -AsPlainText -Force
            $sandbox | Register-FinqLinkSandboxClient -ClientId renewal -ClientSecret $secret | Out-Null
            Connect-FinqLink -BaseUri $sandbox.BaseUri -ClientId renewal -OAuthClientSecret $secret
            # Batches of creates until the sandbox has issued six tokens (each lives 0.1 s), within a generous deadline.
            $made = 0
            $failures = @()
            $deadline = [DateTime]::UtcNow.AddSeconds(90)
            do {
                $rows = 1..20 | ForEach-Object { [pscustomobject]@{ Amount = '{0}.00' -f ($made + $_); Currency = 'RON'; Reference = "renewal-$($made + $_)" } }
                $made += @($rows | New-FinqLink -ThrottleLimit 1 -ErrorVariable +failures).Count
                $issued = (Invoke-FinqLinkSandbox GetStats).tokens_issued
            } until ($issued -ge 6 -or [DateTime]::UtcNow -gt $deadline)
            $failures | Should -BeNullOrEmpty
            $issued | Should -BeGreaterOrEqual 6 -Because 'a 0.1 s token cannot last 90 s of creates'
            $stats = Invoke-FinqLinkSandbox GetStats
            $stats.links_created | Should -Be $made
            $made % 20 | Should -Be 0 -Because 'every row of every batch made a link'
            $stats.duplicate_links | Should -Be 0
        }
        finally {
            Disconnect-FinqLink -ErrorAction SilentlyContinue
            $sandbox | Stop-FinqLinkSandbox
        }
    }

    It 'refuses lifetimes under 0.1 s before starting anything' {
        { Start-FinqLinkSandbox -TokenLifetimeSec 0.05 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
    }
}

Describe 'A sandbox whose PowerShell dies' -Skip:$IsWindows {
    It 'ends, and its log goes with it, when the engine that started it is killed with SIGKILL' {
        # The child reports its own id, its sandbox's and the log's, then waits on its stdin (never written) until killed.
        $script = @"
Import-Module '$(Get-FinqLinkTestManifest)'
`$s = Start-FinqLinkSandbox -Path '$(Get-FinqLinkTestSandboxPath)'
[Console]::Out.WriteLine("`$PID `$(`$s.ProcessId) `$(`$s.LogPath)")
[Console]::Out.Flush()
[void][Console]::In.ReadLine()
"@
        $info = New-FinqLinkTestPwshStart -Argument '-NoProfile', '-NonInteractive', '-Command', $script
        $info.RedirectStandardInput = $true
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $pwsh = [Diagnostics.Process]::Start($info)
        $pwshId = $pwsh.Id
        $enginePid = $sandboxProcess = $log = $null
        try {
            $line = $pwsh.StandardOutput.ReadLineAsync()
            $line.Wait([TimeSpan]::FromSeconds(120)) | Should -BeTrue -Because 'the child pwsh reports its sandbox'
            $enginePid, $sandboxPid, $log = $line.Result -split ' ', 3
            $sandboxProcess = Get-Process -Id $sandboxPid
            Test-Path $log | Should -BeTrue
            # The engine is the process that started the sandbox (a launcher, if any, is its parent).
            $parent = ((Get-Content "/proc/$sandboxPid/stat" -Raw) -replace '^.*\) \S+ (\d+) .*$', '$1').Trim()
            $parent | Should -Be $enginePid

            Stop-Process -Id $enginePid -Force   # SIGKILL: no exit handler of the engine runs
            $sandboxProcess.WaitForExit(30000) | Should -BeTrue -Because 'the sandbox must end when its engine dies'
            Test-Path $log | Should -BeFalse
        }
        finally {
            if ($enginePid) { Stop-Process -Id $enginePid -Force -ErrorAction SilentlyContinue }
            if (-not $pwsh.WaitForExit(30000)) { $pwsh.Kill($true) }
            $pwsh.Dispose()
            if ($sandboxProcess -and -not $sandboxProcess.WaitForExit(30000)) { $sandboxProcess.Kill() }
            if ($log) { Remove-Item $log -ErrorAction SilentlyContinue }
            foreach ($killed in @($enginePid, $pwshId) | Where-Object { $_ }) { Remove-FinqLinkKilledProcessFiles -ProcessId $killed }
        }
    }
}

Describe 'Invoke-FinqLinkSandbox -Trigger' {
    BeforeAll {
        $script:Sandbox = Start-FinqLinkTestSandbox
        $Sandbox | Connect-FinqLink
    }

    AfterAll { $Sandbox | Stop-FinqLinkSandbox }

    # Each story: the type it ends as, its final status, and every status change its webhooks announced, in order.
    It '<Trigger> ends <Status> and sends its webhooks in order' -ForEach @(
        @{ Trigger = 'LinkPaid'; Type = 'PaymentLink'; Status = 'completed'
            Path = 'created', 'started', 'requested', 'intent_accepted', 'awaiting_authz', 'received', 'submitted', 'completed' }
        @{ Trigger = 'LinkFundsReceived'; Type = 'PaymentLink'; Status = 'funds_received'
            Path = 'created', 'started', 'requested', 'intent_accepted', 'awaiting_authz', 'received', 'submitted', 'completed', 'funds_received' }
        @{ Trigger = 'LinkFundsRejected'; Type = 'PaymentLink'; Status = 'funds_rejected'
            Path = 'created', 'started', 'requested', 'intent_accepted', 'awaiting_authz', 'received', 'submitted', 'completed', 'funds_rejected' }
        @{ Trigger = 'LinkFailed'; Type = 'PaymentLink'; Status = 'failed'
            Path = 'created', 'started', 'requested', 'intent_accepted', 'awaiting_authz', 'failed' }
        @{ Trigger = 'LinkExpired'; Type = 'PaymentLink'; Status = 'created'; Path = @() }
        @{ Trigger = 'ConsentActive'; Type = 'Consent'; Status = 'active'
            Path = 'created', 'started', 'requested', 'sca_url_retrieved', 'awaiting_authz', 'authorized', 'active' }
        @{ Trigger = 'ConsentFailed'; Type = 'Consent'; Status = 'failed'
            Path = 'created', 'started', 'requested', 'sca_url_retrieved', 'awaiting_authz', 'failed' }
        @{ Trigger = 'ConsentExpired'; Type = 'Consent'; Status = 'expired'; Path = 'created', 'expired' }
        @{ Trigger = 'ConsentRevoked'; Type = 'Consent'; Status = 'revoked'
            Path = 'created', 'started', 'requested', 'sca_url_retrieved', 'awaiting_authz', 'authorized', 'active', 'revoked' }
    ) {
        $clockBefore = [DateTimeOffset] (Invoke-FinqLinkSandbox GetClock).now
        $result = Invoke-FinqLinkSandbox -Trigger $Trigger
        $result.GetType().Name | Should -Be $Type
        $result.Status | Should -Be $Status
        $id = if ($Type -eq 'PaymentLink') { $result.LinkId } else { $result.ConsentId }
        # The API says the same as the output, and the webhooks the sandbox logged are the ones the output lists.
        $fromApi = if ($Type -eq 'PaymentLink') { Get-FinqLink $id } else { Get-FinqConsent $id }
        $fromApi.Status | Should -Be $Status
        $transitions = @($result.Webhooks | ForEach-Object { "$($_.FromStatus)>$($_.Status)" })
        $expected = @(for ($i = 1; $i -lt $Path.Count; $i++) { "$($Path[$i - 1])>$($Path[$i])" })
        $transitions | Should -Be $expected
        @($result.Webhooks | Where-Object { $_.HttpStatus -ne 204 -or $_.Attempt -ne 1 -or -not $_.Signed }) | Should -BeNullOrEmpty
        @(Get-FinqLinkSandboxWebhook -Id $id).Count | Should -Be $expected.Count
        if ($Trigger -like '*Expired') {
            # The clock moved past the 5-minute expiry instead of anyone waiting for it.
            ([DateTimeOffset] (Invoke-FinqLinkSandbox GetClock).now - $clockBefore).TotalSeconds | Should -BeGreaterOrEqual 300
            if ($Type -eq 'PaymentLink') { $result.IsExpired | Should -BeTrue }
        }
    }

    It 'sends the story''s webhooks to -WebhookUrl, each with a valid signature' {
        $listener = [System.Net.HttpListener]::new()
        $url = "http://127.0.0.1:$(Get-FreePort)/story/"
        $listener.Prefixes.Add($url)
        $listener.Start()
        try {
            $pending = $listener.GetContextAsync()
            $answered = [System.Collections.Generic.List[object]]::new()
            $job = Start-ThreadJob -ScriptBlock {
                param($listener, $pending, $answered)
                while ($listener.IsListening) {
                    $context = $pending.GetAwaiter().GetResult()
                    $reader = [System.IO.StreamReader]::new($context.Request.InputStream)
                    $answered.Add([pscustomobject]@{ Body = $reader.ReadToEnd(); Kid = $context.Request.Headers['x-signature-kid']; Jws = $context.Request.Headers['x-signature'] })
                    $context.Response.StatusCode = 202
                    $context.Response.Close()
                    $pending = $listener.GetContextAsync()
                }
            } -ArgumentList $listener, $pending, $answered
            $result = Invoke-FinqLinkSandbox -Trigger LinkFailed -WebhookUrl $url
            $result.Webhooks.Url | Sort-Object -Unique | Should -Be $url
            $result.Webhooks.HttpStatus | Sort-Object -Unique | Should -Be 202
            $answered.Count | Should -Be 5
            foreach ($hook in $answered) {
                Test-FinqWebhookSignature -Body $hook.Body -Signature $hook.Jws -KeyId $hook.Kid | Should -BeTrue
            }
            # Deliveries run side by side, so they may arrive out of order (as FinqLink's may): the set is what counts.
            ($answered.Body | ConvertFrom-Json).status | Sort-Object | Should -Be ('started', 'requested', 'intent_accepted', 'awaiting_authz', 'failed' | Sort-Object)
        }
        finally {
            $listener.Stop()
            $job | Stop-Job -PassThru | Remove-Job -Force
        }
    }

    It 'refuses LinkPaid at a bank that confirms funds, before creating anything' {
        $before = (Invoke-FinqLinkSandbox GetStats).links_created
        { Invoke-FinqLinkSandbox -Trigger LinkPaid -ProviderId libra_ro -ErrorAction Stop } |
            Should -Throw -ErrorId 'FinqLink.Sandbox.ScenarioFailed*' -ExpectedMessage '*libra_ro confirms funds*LinkFundsReceived*'
        (Invoke-FinqLinkSandbox GetStats).links_created | Should -Be $before
    }

    It 'names the scenarios when given another, and plays only in the session''s sandbox' {
        { Invoke-FinqLinkSandbox -Trigger Paid -ErrorAction Stop } | Should -Throw -ExpectedMessage "*'Paid' is not one of LinkPaid, LinkFundsReceived*ConsentRevoked*"
        { Invoke-FinqLinkSandbox -Trigger LinkPaid -BaseUri 'http://127.0.0.1:9/' -ErrorAction Stop } |
            Should -Throw -ExpectedMessage "*the session creates links at $($Sandbox.BaseUri), not at http://127.0.0.1:9/*"
        $session = Get-FinqSession
        Disconnect-FinqLink
        try { { Invoke-FinqLinkSandbox -Trigger LinkPaid -ErrorAction Stop } | Should -Throw -ErrorId 'FinqLink.NotConnected*' }
        finally { $Sandbox | Connect-FinqLink }
    }
}

Describe 'Get-FinqLinkSandboxWebhook' {
    BeforeAll {
        $script:Sandbox = Start-FinqLinkTestSandbox
        $Sandbox | Connect-FinqLink
        $script:Story = Invoke-FinqLinkSandbox -Trigger ConsentRevoked

        function Wait-Attempt([string] $Id, [int] $Count) {
            # Waits on the log itself (-Follow in a thread job), for at most a minute.
            $job = Start-ThreadJob -ScriptBlock {
                param($manifest, $base, $id, $count)
                Import-Module $manifest
                Get-FinqLinkSandboxWebhook -BaseUri $base -Id $id -Follow | Select-Object -First $count
            } -ArgumentList (Get-Module FinqLink).Path, $Sandbox.BaseUri, $Id, $Count
            try { $job | Wait-Job -Timeout 60 | Receive-Job }
            finally { Remove-JobWithin $job }
        }

        # Stops a job still running and removes it, waiting at most 10 s: a -Follow that ignores the stop fails the test
        # instead of hanging it (Stop-Job and Remove-Job -Force wait for the stop without end).
        function Remove-JobWithin($Job) {
            if ($Job.State -eq 'Running') {
                $Job.StopJobAsync()
                if (-not ($Job | Wait-Job -Timeout 10)) { throw "The job was told to stop and still ran 10 s later: -Follow ignores the stop." }
            }
            $Job | Remove-Job -Force
        }
    }

    AfterAll { $Sandbox | Stop-FinqLinkSandbox }

    It 'writes one typed row per attempt: time, event, id, transition, target, answer, attempt, duration and key' {
        $rows = @(Get-FinqLinkSandboxWebhook -Id $Story.ConsentId)
        $rows.Count | Should -Be 7
        $last = $rows[-1]
        $last.GetType().FullName | Should -Be 'FinqLink.LocalSandbox.SandboxWebhookDelivery'
        $last.EventType | Should -Be 'consent_status_update'
        $last.ConsentId | Should -Be $Story.ConsentId
        $last.LinkId | Should -BeNullOrEmpty
        $last.FromStatus, $last.Status | Should -Be 'active', 'revoked'
        $last.Url | Should -Be "$($Sandbox.BaseUri)sandbox/webhooks/sink"
        $last.HttpStatus | Should -Be 204
        $last.Attempt | Should -Be 1
        $last.Duration | Should -BeOfType [TimeSpan]
        $last.Time | Should -BeOfType [DateTimeOffset]
        $last.Signed | Should -BeTrue
        $last.KeyId | Should -Be (Get-FinqWebhookKey)[0].KeyId
        ($last.Body | ConvertFrom-Json).status | Should -Be 'revoked'
        ($Story | Get-FinqLinkSandboxWebhook -Tail 2).Status | Should -Be 'active', 'revoked'
    }

    It 'logs every attempt of a delivery the receiver refuses, with why' {
        $link = New-FinqLink -Amount 3 -Currency RON -WebhookUrl 'http://127.0.0.1:9/refused/'
        Invoke-FinqLinkSandbox TriggerWebhook -Body @{ type = 'link_status_update'; id = $link.LinkId } | Out-Null
        $rows = @(Wait-Attempt $link.LinkId 2)
        $rows[0].Attempt, $rows[1].Attempt | Should -Be 1, 2
        $rows[0].HttpStatus | Should -BeNullOrEmpty
        $rows[0].Error | Should -Be 'refused'
        $rows[0].Answer | Should -Be 'refused'
        $rows[0].FromStatus, $rows[0].Status | Should -Be 'created', 'created'
    }

    It 'shows a table that fits 79 columns with no value cut, and the key id at 120' {
        $rows = Get-FinqLinkSandboxWebhook -Id $Story.ConsentId
        $at79 = ($rows | Out-String -Width 79) -split "`r?`n"
        $at79 | Where-Object { $_.Length -gt 79 } | Should -BeNullOrEmpty
        ($at79 -join "`n") | Should -Not -Match '…'
        ($at79 | Where-Object { $_ -match '^Time\s' }) | Should -Match '^Time\s+From\s+To\s+Answer\s+Attempt\s+Ms$'
        $at79 | Should -Contain "   consent $($Story.ConsentId)"
        $at79 | Should -Contain "   to $($Sandbox.BaseUri)sandbox/webhooks/sink"
        @($at79 | Where-Object { $_ -match '^\d\d:\d\d:\d\d sca_url_retrieved\s+awaiting_authz\s+204\s+1\s+\d+$' }).Count | Should -Be 1
        @($at79 | Where-Object { $_ -match '^\d\d:\d\d:\d\d active\s+revoked\s+204\s+1\s+\d+$' }).Count | Should -Be 1
        $at120 = ($rows | Out-String -Width 120) -split "`r?`n"
        ($at120 | Where-Object { $_ -match '^Time\s' }) | Should -Match 'Ms KeyId$'
        @($at120 | Where-Object { $_ -match " $([regex]::Escape($rows[0].KeyId))$" }).Count | Should -Be 7
        # The longest statuses fit whole: a forced job_partially_completed after transactions_fetching.
        $wide = $rows[-1].PSObject.Copy()
        $wide.FromStatus = 'transactions_fetching'; $wide.Status = 'job_partially_completed'; $wide.HttpStatus = $null; $wide.Error = 'no host'
        $line = ($wide | Out-String -Width 79) -split "`r?`n" | Where-Object { $_ -match 'transactions_fetching' }
        $line | Should -Match '^\d\d:\d\d:\d\d transactions_fetching\s+job_partially_completed\s+no host\s+1\s+\d+$'
        $line.Length | Should -BeLessOrEqual 79
    }

    It '-Follow streams attempts as they end, until the pipeline stops it' {
        $link = New-FinqLink -Amount 4 -Currency RON -WebhookUrl "$($Sandbox.BaseUri)sandbox/webhooks/sink"
        Invoke-FinqLinkSandbox TriggerWebhook -Body @{ type = 'link_status_update'; id = $link.LinkId } | Out-Null
        $manifest = (Get-Module FinqLink).Path
        $job = Start-ThreadJob -ScriptBlock {
            param($manifest, $base, $id)
            Import-Module $manifest
            Get-FinqLinkSandboxWebhook -BaseUri $base -Id $id -Follow | Select-Object -First 2
        } -ArgumentList $manifest, $Sandbox.BaseUri, $link.LinkId
        try {
            # The first row is the one logged before the tail started; the second can only come while it follows.
            $seen = [System.Collections.Generic.List[object]]::new()
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while ($seen.Count -lt 1 -and [DateTime]::UtcNow -lt $deadline) { $job | Wait-Job -Timeout 1 | Out-Null; $seen.AddRange(@(Receive-Job $job)) }
            $seen.Count | Should -Be 1
            $job.State | Should -Be 'Running'
            Invoke-FinqLinkSandbox SetLinkStatus $link.LinkId -Status revoked | Out-Null
            $job | Wait-Job -Timeout 60 | Out-Null
            $seen.AddRange(@(Receive-Job $job))
            $job.State | Should -Be 'Completed'
            ($seen | ForEach-Object { "$($_.FromStatus)>$($_.Status)" }) | Should -Be 'created>created', 'created>revoked'
        }
        finally { Remove-JobWithin $job }
    }

    It '-Follow ends at once when stopped (Ctrl+C)' {
        $ps = [powershell]::Create()
        $stopped = $true
        try {
            $null = $ps.AddScript("Import-Module '$((Get-Module FinqLink).Path)'").Invoke()
            $ps.Commands.Clear()
            # It writes the story's last row, then waits for the next: stopped then, it must end at once.
            $null = $ps.AddScript("Get-FinqLinkSandboxWebhook -BaseUri '$($Sandbox.BaseUri)' -Id '$($Story.ConsentId)' -Tail 1 -Follow")
            $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
            $async = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]::new(), $output)
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while ($output.Count -lt 1 -and [DateTime]::UtcNow -lt $deadline) { $null = $async.AsyncWaitHandle.WaitOne(50) }
            $output.Count | Should -Be 1
            $output[0].Status | Should -Be 'revoked'
            # A stop that hangs must fail the test, not hang it.
            $stopped = $ps.BeginStop($null, $null).AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(2))
            $stopped | Should -BeTrue -Because 'a stopped -Follow ends at once'
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        }
        # Disposing a pipeline that ignores its stop waits for it without end: it is left to the process's exit.
        finally { if ($stopped) { $ps.Dispose() } }
    }
}
