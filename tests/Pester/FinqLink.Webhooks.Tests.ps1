#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Receive-FinqWebhook as a user runs it: where it listens, duplicates of the sandbox's genuine webhooks, refused senders.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'FinqLink.TestHelpers.psm1') -Force
    Import-FinqLinkUnderTest
    $script:Sandbox = Start-FinqLinkTestSandbox
    Connect-FinqLink -BaseUri $Sandbox.BaseUri -ClientId demo -ClientSecret $Sandbox.ClientSecret
    $script:Session = Get-FinqSession
    $script:Manifest = Get-FinqLinkTestManifest

    function Start-Receiver([hashtable] $Parameters) { Start-FinqLinkTestReceiver $Manifest $Session $Parameters }
}

AfterAll {
    Disconnect-FinqLink -ErrorAction SilentlyContinue
    if ($script:Sandbox) { $script:Sandbox | Stop-FinqLinkSandbox }
}

Describe 'Receive-FinqWebhook' {
    It '-Port N listens on loopback only' {
        $port = Get-FreePort
        $job = Start-Receiver @{ Port = $port; TimeoutSec = 60 }
        try {
            $bound = @([System.Net.NetworkInformation.IPGlobalProperties]::GetIPGlobalProperties().GetActiveTcpListeners() | Where-Object Port -eq $port)
            $bound.Count | Should -Be 1
            "$($bound[0].Address)" | Should -Be '127.0.0.1'
            ($job.Verbose | Select-Object -First 1).Message | Should -BeLike "*http://127.0.0.1:$port/ (loopback only)*"
            $job.Warning | Should -BeNullOrEmpty
        }
        finally { $job | Stop-Job; $job | Remove-Job -Force }
    }

    It 'warns before it listens beyond loopback' {
        # 192.0.2.1 (TEST-NET-1) is on no interface here: the warning comes, then the bind fails, and nothing listens beyond loopback.
        $err = $null
        try { Receive-FinqWebhook -Port (Get-FreePort) -ListenAddress 192.0.2.1 -WarningVariable warned -WarningAction SilentlyContinue }
        catch { $err = $_ }
        "$warned" | Should -BeLike '*listens on http://192.0.2.1:*other machines can reach it*-AllowedSourceAddress Production*'
        "$err" | Should -BeLike 'Cannot listen on http://192.0.2.1:*'
    }

    It 'gives two events for a genuine webhook delivered twice, the second IsDuplicate' {
        $port = Get-FreePort
        $url = "http://127.0.0.1:$port/"
        $job = Start-Receiver @{ Port = $port; Count = 3; TimeoutSec = 60 }
        try {
            $link = New-FinqLink -Amount 7.25 -Currency RON -RemittanceInformation 'Delivered twice'
            $other = New-FinqLink -Amount 7.26 -Currency RON -RemittanceInformation 'Delivered once'
            $webhook = @{ type = 'link_status_update'; id = $link.LinkId; status = 'completed'; url = $url }
            # One at a time, so the order of the events is the order of delivery.
            $sent = 0
            foreach ($body in $webhook, $webhook, @{ type = 'link_status_update'; id = $other.LinkId; status = 'completed'; url = $url }) {
                Invoke-FinqLinkSandbox TriggerWebhook -Body $body | Out-Null
                $sent++
                Wait-JobStream $job $job.Output { $args[0].Count -ge $sent } "event $sent"
            }
            $events = @($job | Receive-Job -Wait)
        }
        finally { $job | Remove-Job -Force }
        $events.Count | Should -Be 3
        $events.LinkId | Should -Be @($link.LinkId, $link.LinkId, $other.LinkId)
        $events.IsDuplicate | Should -Be @($false, $true, $false)
        $deliveries = @(Invoke-FinqLinkSandbox GetWebhooks | Where-Object url -eq $url)
        $deliveries[0].body | Should -BeExactly $deliveries[1].body
        $deliveries.last_status | Should -Be @(204, 204, 204)
        ($events[1] | Format-List | Out-String) | Should -Match 'IsDuplicate\s*:\s*True'
        ($events[0] | Format-List | Out-String) | Should -Not -Match 'IsDuplicate'
    }

    It 'closes a sender outside -AllowedSourceAddress at once, unanswered, and says so in -Verbose' {
        $port = Get-FreePort
        $url = "http://127.0.0.1:$port/"
        $job = Start-Receiver @{ Port = $port; AllowedSourceAddress = 'Production', 'Test'; TimeoutSec = 60 }
        try {
            $link = New-FinqLink -Amount 7.27 -Currency RON -RemittanceInformation 'Refused sender'
            Invoke-FinqLinkSandbox TriggerWebhook -Body @{ type = 'link_status_update'; id = $link.LinkId; status = 'completed'; url = $url } | Out-Null
            Wait-JobStream $job $job.Verbose { @($args[0] | Where-Object Message -like '*127.0.0.1: closed at once, it is not an allowed source (Production (34.159.239.125), Test (34.89.170.122))*').Count -gt 0 } 'the refusal'
            { Invoke-WebRequest -Method Post -Uri $url -Body '{}' -ContentType 'application/json' -SkipHttpErrorCheck } | Should -Throw
        }
        finally { $job | Stop-Job; $events = @($job | Receive-Job); $job | Remove-Job -Force }
        $events | Should -BeNullOrEmpty
    }

    It 'names the parameter and the rule for an address it cannot read' {
        { Receive-FinqWebhook -Port (Get-FreePort) -AllowedSourceAddress '10.0.0.0/33' -ErrorAction Stop } |
            Should -Throw "AllowedSourceAddress: '10.0.0.0/33': the prefix length after / must be 0 to 32."
        { Receive-FinqWebhook -Port (Get-FreePort) -TrustedProxy 'proxy.local' -ErrorAction Stop } |
            Should -Throw "TrustedProxy: 'proxy.local' is not an address*"
    }
}
